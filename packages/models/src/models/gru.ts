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
import { type RecurrentConfig, recurrentOutputSize } from "../layers/recurrent-stack.js";
import type { EmgModel, ForwardOptions } from "../model.js";
import { disposeTree, type ParamTree } from "../params.js";

/** Front end, then an `nn.GRU`, then the classifier. */
export interface GruModelConfig {
  /** Electrode channels · frequency bins per band (16 · 33). */
  inFeatures: number;
  mlpFeatures: number[];
  hiddenSize: number;
  numLayers: number;
  /** Unidirectional runs causally (a streaming decoder can use it); bidirectional sees the whole window. */
  bidirectional: boolean;
  /** Between GRU layers, in training (PyTorch's `dropout`). */
  dropout: number;
  numClasses: number;
}

/**
 * 512 x 4 as the GRU seed (27.60 test CER), bidirectional: its CER is the
 * BiLSTM's (29.24), not the unidirectional LSTM's (69.81).
 */
export const defaultGruModelConfig: GruModelConfig = {
  inFeatures: 528,
  mlpFeatures: [384],
  hiddenSize: 512,
  numLayers: 4,
  bidirectional: true,
  dropout: 0,
  numClasses: 99,
};

/**
 * Named as the state_dict of a PyTorch module with `model` =
 * `nn.Sequential(SpectrogramNorm, MultiBandRotationInvariantMLP, Flatten)`,
 * `gru` = `nn.GRU` and `classifier` = `nn.Linear`
 * (scripts/make_recurrent_golden.py builds it).
 */
export type GruModelParams = {
  model: FrontEndParams;
  gru: ParamTree;
  classifier: LinearParams;
};

/**
 * (T, N, 2, 16, F) -> (T, N, numClasses) log-probabilities: no frames are lost.
 * Receptive field: Infinity when bidirectional; unidirectional, every output
 * frame depends on all earlier frames (unbounded past, no future), reported as
 * Infinity too since `receptiveField` counts frames either side alike.
 */
export function createGruModel(
  config: GruModelConfig = defaultGruModelConfig,
  seed = 0,
): EmgModel<GruModelConfig> {
  const nextSeed = seedSequence(seed);
  const front = createFrontEnd(config, nextSeed);
  const recurrent: RecurrentConfig = { ...config, inputSize: frontEndFeatures(config) };
  const params: GruModelParams = {
    model: front.params,
    gru: createGru(recurrent, nextSeed),
    classifier: createLinear(recurrentOutputSize(recurrent), config.numClasses, nextSeed),
  };
  const buffers = { model: front.buffers as FrontEndBuffers };

  function forward(inputs: tf.Tensor, { training }: ForwardOptions): tf.Tensor {
    return tf.tidy(() => {
      const features = frontEnd(params.model, buffers.model, inputs, { training }) as tf.Tensor3D;
      const hidden = gru(params.gru, recurrent, features, { training });
      return tf.logSoftmax(linear(params.classifier, hidden), -1);
    });
  }

  return {
    kind: "gru",
    config,
    params,
    buffers,
    forward,
    receptiveField: Number.POSITIVE_INFINITY,
    outputLength: (inputFrames) => inputFrames,
    dispose: () => {
      disposeTree(params);
      disposeTree(buffers);
    },
  };
}
