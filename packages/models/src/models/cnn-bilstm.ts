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
import { assembleModel, type EmgModel, type ForwardOptions } from "../model.js";
import type { ParamTree } from "../params.js";
import {
  type ConvStackConfig,
  type ConvStackParams,
  convStack,
  convStackReceptiveField,
  createConvStack,
} from "./cnn.js";

/** Front end, a conv stack (local features), a bidirectional LSTM (context), the classifier. */
export interface CnnBiLstmModelConfig {
  /** Electrode channels · frequency bins per band (16 · 33). */
  inFeatures: number;
  /** Electrodes per band (default 16): inputs are (T, N, 2, electrodeChannels, inFeatures / it). */
  electrodeChannels?: number;
  mlpFeatures: number[];
  /** Channels, count and temporal kernel of the conv blocks (flat, so top-level overrides reach them). */
  convChannels: number;
  convBlocks: number;
  convKernelWidth: number;
  hiddenSize: number;
  numLayers: number;
  /** Between LSTM layers, in training (PyTorch's `dropout`). */
  dropout: number;
  numClasses: number;
}

/** BiLSTM 256 x 4 as the best seed (26.41 test CER), after 3 conv blocks of 256 channels, kernel 5. */
export const defaultCnnBiLstmModelConfig: CnnBiLstmModelConfig = {
  inFeatures: 528,
  mlpFeatures: [384],
  convChannels: 256,
  convBlocks: 3,
  convKernelWidth: 5,
  hiddenSize: 256,
  numLayers: 4,
  dropout: 0,
  numClasses: 99,
};

/**
 * Named as the state_dict of a PyTorch module with `model` =
 * `nn.Sequential(SpectrogramNorm, MultiBandRotationInvariantMLP, Flatten)`,
 * `conv_blocks` (see `ConvBlockParams`), `lstm` = `nn.LSTM(bidirectional=True)`
 * and `classifier` = `nn.Linear` (scripts/make_recurrent_golden.py builds it).
 */
export type CnnBiLstmModelParams = {
  model: FrontEndParams;
  conv_blocks: ConvStackParams;
  lstm: ParamTree;
  classifier: LinearParams;
};

/**
 * (T, N, 2, electrodeChannels, F) -> (T - convBlocks · (convKernelWidth - 1), N, numClasses)
 * log-probabilities. Receptive field Infinity (the LSTM is bidirectional).
 */
export function createCnnBiLstmModel(
  config: CnnBiLstmModelConfig = defaultCnnBiLstmModelConfig,
  seed = 0,
): EmgModel<CnnBiLstmModelConfig> {
  const nextSeed = seedSequence(seed);
  const front = createFrontEnd(config, nextSeed);
  const conv: ConvStackConfig = {
    channels: config.convChannels,
    numBlocks: config.convBlocks,
    kernelWidth: config.convKernelWidth,
  };
  const recurrent: RecurrentConfig = {
    inputSize: conv.channels,
    hiddenSize: config.hiddenSize,
    numLayers: config.numLayers,
    bidirectional: true,
    dropout: config.dropout,
  };
  const params: CnnBiLstmModelParams = {
    model: front.params,
    conv_blocks: createConvStack(frontEndFeatures(config), conv, nextSeed),
    lstm: createLstm(recurrent, nextSeed),
    classifier: createLinear(recurrentOutputSize(recurrent), config.numClasses, nextSeed),
  };
  const buffers = { model: front.buffers as FrontEndBuffers };
  const lostFrames = convStackReceptiveField(conv) - 1;

  function forward(inputs: tf.Tensor, { training }: ForwardOptions): tf.Tensor {
    return tf.tidy(() => {
      const features = frontEnd(params.model, buffers.model, inputs, { training }) as tf.Tensor3D;
      const hidden = lstm(params.lstm, recurrent, convStack(params.conv_blocks, features), {
        training,
      });
      return tf.logSoftmax(linear(params.classifier, hidden), -1);
    });
  }

  return assembleModel({
    kind: "cnn-bilstm",
    config,
    params,
    buffers,
    forward,
    receptiveField: Number.POSITIVE_INFINITY,
    outputLength: (inputFrames) => Math.max(0, inputFrames - lostFrames),
  });
}
