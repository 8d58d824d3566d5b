import * as tf from "@tensorflow/tfjs-core";
import { seedSequence } from "../init.js";
import {
  createFrontEnd,
  type FrontEndBuffers,
  type FrontEndParams,
  frontEnd,
  frontEndFeatures,
} from "../layers/front-end.js";
import { createLinear, type LinearParams, linear } from "../layers/linear.js";
import { createLstm, lstm } from "../layers/lstm.js";
import { type RecurrentConfig, recurrentOutputSize } from "../layers/recurrent-stack.js";
import type { EmgModel, ForwardOptions } from "../model.js";
import { disposeTree, type ParamTree } from "../params.js";

/** Front end, then an `nn.LSTM`, then the classifier. */
export interface LstmModelConfig {
  /** Electrode channels · frequency bins per band (16 · 33). */
  inFeatures: number;
  mlpFeatures: number[];
  hiddenSize: number;
  numLayers: number;
  /** Unidirectional runs causally (a streaming decoder can use it); bidirectional sees the whole window. */
  bidirectional: boolean;
  /** Between LSTM layers, in training (PyTorch's `dropout`). */
  dropout: number;
  numClasses: number;
}

/** Unidirectional 256 x 2, as the "LSTM" seed (69.81 test CER); set `bidirectional` for the BiLSTM seed (29.24). */
export const defaultLstmModelConfig: LstmModelConfig = {
  inFeatures: 528,
  mlpFeatures: [384],
  hiddenSize: 256,
  numLayers: 2,
  bidirectional: false,
  dropout: 0,
  numClasses: 99,
};

/**
 * Named as the state_dict of a PyTorch module with `model` =
 * `nn.Sequential(SpectrogramNorm, MultiBandRotationInvariantMLP, Flatten)`,
 * `lstm` = `nn.LSTM` and `classifier` = `nn.Linear`
 * (scripts/make_recurrent_golden.py builds it).
 */
export type LstmModelParams = {
  model: FrontEndParams;
  lstm: ParamTree;
  classifier: LinearParams;
};

/**
 * (T, N, 2, 16, F) -> (T, N, numClasses) log-probabilities: no frames are lost.
 * Receptive field: Infinity when bidirectional; unidirectional, every output
 * frame depends on all earlier frames (unbounded past, no future), reported as
 * Infinity too since `receptiveField` counts frames either side alike.
 */
export function createLstmModel(
  config: LstmModelConfig = defaultLstmModelConfig,
  seed = 0,
): EmgModel<LstmModelConfig> {
  const nextSeed = seedSequence(seed);
  const front = createFrontEnd(config, nextSeed);
  const recurrent: RecurrentConfig = { ...config, inputSize: frontEndFeatures(config) };
  const params: LstmModelParams = {
    model: front.params,
    lstm: createLstm(recurrent, nextSeed),
    classifier: createLinear(recurrentOutputSize(recurrent), config.numClasses, nextSeed),
  };
  const buffers = { model: front.buffers as FrontEndBuffers };

  function forward(inputs: tf.Tensor, { training }: ForwardOptions): tf.Tensor {
    return tf.tidy(() => {
      const features = frontEnd(params.model, buffers.model, inputs, { training }) as tf.Tensor3D;
      const hidden = lstm(params.lstm, recurrent, features, { training });
      return tf.logSoftmax(linear(params.classifier, hidden), -1);
    });
  }

  return {
    kind: "lstm",
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
