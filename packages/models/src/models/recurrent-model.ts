import * as tf from "@tensorflow/tfjs-core";
import { seedSequence } from "../init.js";
import {
  createFrontEnd,
  type FrontEndBuffers,
  type FrontEndParams,
  frontEnd,
  frontEndFeatures,
} from "../layers/front-end.js";
import { createGru, gru } from "../layers/gru.js";
import { createLinear, type LinearParams, linear } from "../layers/linear.js";
import { createLstm, lstm } from "../layers/lstm.js";
import { type RecurrentConfig, recurrentOutputSize } from "../layers/recurrent-stack.js";
import { assembleModel, type EmgModel, type ForwardOptions } from "../model.js";
import type { ParamTree } from "../params.js";

/** Front end, then an `nn.LSTM` or `nn.GRU`, then the classifier. */
export interface RecurrentModelConfig {
  /** Electrode channels · frequency bins per band (16 · 33). */
  inFeatures: number;
  /** Electrodes per band (default 16): inputs are (T, N, 2, electrodeChannels, inFeatures / it). */
  electrodeChannels?: number;
  mlpFeatures: number[];
  hiddenSize: number;
  numLayers: number;
  /** Unidirectional runs causally (a streaming decoder can use it); bidirectional sees the whole window. */
  bidirectional: boolean;
  /** Between recurrent layers, in training (PyTorch's `dropout`). */
  dropout: number;
  numClasses: number;
}

const CELLS = {
  lstm: { create: createLstm, run: lstm },
  gru: { create: createGru, run: gru },
} as const;

/** The recurrent layer types, named as the model's parameter group (`lstm.*`, `gru.*`). */
export type RecurrentCell = keyof typeof CELLS;

/**
 * Named as the state_dict of a PyTorch module with `model` =
 * `nn.Sequential(SpectrogramNorm, MultiBandRotationInvariantMLP, Flatten)`,
 * `lstm` / `gru` = `nn.LSTM` / `nn.GRU` and `classifier` = `nn.Linear`
 * (scripts/make_recurrent_golden.py builds it).
 */
export type RecurrentModelParams<Cell extends RecurrentCell> = {
  model: FrontEndParams;
  classifier: LinearParams;
} & { [name in Cell]: ParamTree };

/**
 * (T, N, 2, electrodeChannels, F) -> (T, N, numClasses) log-probabilities: no frames are lost.
 * Receptive field: Infinity when bidirectional; unidirectional, every output
 * frame depends on all earlier frames (unbounded past, no future), reported as
 * Infinity too since `receptiveField` counts frames either side alike.
 */
export function createRecurrentModel<Cell extends RecurrentCell>(
  cell: Cell,
  config: RecurrentModelConfig,
  seed: number,
): EmgModel<RecurrentModelConfig> {
  const nextSeed = seedSequence(seed);
  const front = createFrontEnd(config, nextSeed);
  const recurrent: RecurrentConfig = { ...config, inputSize: frontEndFeatures(config) };
  // Insertion order is the state_dict order: front end, recurrent layers, classifier.
  const params = {
    model: front.params,
    [cell]: CELLS[cell].create(recurrent, nextSeed),
    classifier: createLinear(recurrentOutputSize(recurrent), config.numClasses, nextSeed),
  } as RecurrentModelParams<Cell>;
  const buffers = { model: front.buffers as FrontEndBuffers };

  function forward(inputs: tf.Tensor, { training }: ForwardOptions): tf.Tensor {
    return tf.tidy(() => {
      const features = frontEnd(params.model, buffers.model, inputs, { training }) as tf.Tensor3D;
      const hidden = CELLS[cell].run(params[cell] as ParamTree, recurrent, features, { training });
      return tf.logSoftmax(linear(params.classifier, hidden), -1);
    });
  }

  return assembleModel({
    kind: cell,
    config,
    params,
    buffers,
    forward,
    receptiveField: Number.POSITIVE_INFINITY,
    outputLength: (inputFrames) => inputFrames,
  });
}
