import * as tf from "@tensorflow/tfjs-core";
import { seedSequence } from "../init.js";
import { checkpointSequence, variablesOf } from "../layers/checkpoint.js";
import {
  createFrontEnd,
  type FrontEndBuffers,
  type FrontEndParams,
  frontEnd,
  frontEndFeatures,
} from "../layers/front-end.js";
import { createLayerNorm, type LayerNormParams, layerNorm } from "../layers/layer-norm.js";
import { createLinear, type LinearParams, linear } from "../layers/linear.js";
import {
  createTemporalConv,
  type TemporalConvParams,
  temporalConv,
} from "../layers/temporal-conv.js";
import { assembleModel, type EmgModel, type ForwardOptions } from "../model.js";

/** A stack of valid temporal convolutions, each followed by ReLU, a residual where widths match, LayerNorm. */
export interface ConvStackConfig {
  /** Output channels of every conv. */
  channels: number;
  numBlocks: number;
  /** Temporal kernel, in frames; each block drops kernelWidth - 1 frames. */
  kernelWidth: number;
}

/**
 * `nn.Conv2d(in, channels, kernel_size=(1, K))` over (N, C, 1, T) and
 * `nn.LayerNorm(channels)`, under `conv_blocks.{i}` in the state_dict.
 */
export type ConvBlockParams = {
  conv2d: TemporalConvParams;
  layer_norm: LayerNormParams;
};

export type ConvStackParams = { [index: string]: ConvBlockParams };

export function createConvStack(
  inFeatures: number,
  config: ConvStackConfig,
  nextSeed: () => number,
): ConvStackParams {
  const blocks: ConvStackParams = {};
  for (let i = 0; i < config.numBlocks; i++) {
    const inChannels = i === 0 ? inFeatures : config.channels;
    blocks[String(i)] = {
      conv2d: createTemporalConv(inChannels, config.channels, config.kernelWidth, nextSeed),
      layer_norm: createLayerNorm(config.channels),
    };
  }
  return blocks;
}

/** Input frames one output frame of the stack sees: numBlocks · (K - 1) + 1. */
export function convStackReceptiveField(config: ConvStackConfig): number {
  return config.numBlocks * (config.kernelWidth - 1) + 1;
}

/**
 * (T, N, in) -> (T - numBlocks · (K - 1), N, channels). A block's residual is
 * its input's last T_out frames (as emg2qwerty's TDS blocks), present when
 * the block keeps the width (all but a first block that changes it).
 */
export function convStack(blocks: ConvStackParams, x: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    let current = x;
    const sequence = Object.values(blocks).map((block) => ({
      run: (input: tf.Tensor) => convBlock(block, input as tf.Tensor3D),
      params: variablesOf(block),
    }));
    current = checkpointSequence(sequence, current) as tf.Tensor3D;
    return current;
  });
}

function convBlock(block: ConvBlockParams, x: tf.Tensor3D): tf.Tensor3D {
  const [frames, batch, inChannels] = x.shape;
  const convolved = tf.relu(temporalConv(block.conv2d, tf.expandDims(x, 3)));
  const [outFrames, , outChannels] = convolved.shape as [number, number, number];
  let y = tf.reshape(convolved, [outFrames, batch, outChannels]);
  if (outChannels === inChannels) {
    y = tf.add(y, tf.slice(x, [frames - outFrames, 0, 0], [outFrames, batch, inChannels]));
  }
  return layerNorm(block.layer_norm, y) as tf.Tensor3D;
}

/** Front end, a conv stack, the classifier: no recurrence, so every output frame sees a fixed window. */
export interface CnnModelConfig extends ConvStackConfig {
  /** Electrode channels · frequency bins per band (16 · 33). */
  inFeatures: number;
  /** Electrodes per band (default 16): inputs are (T, N, 2, electrodeChannels, inFeatures / it). */
  electrodeChannels?: number;
  mlpFeatures: number[];
  numClasses: number;
}

/** 4 blocks of 256 channels, kernel 11: a 41-frame (0.33 s) receptive field, 4.76 M parameters. */
export const defaultCnnModelConfig: CnnModelConfig = {
  inFeatures: 528,
  mlpFeatures: [384],
  channels: 256,
  numBlocks: 4,
  kernelWidth: 11,
  numClasses: 99,
};

/**
 * Named as the state_dict of a PyTorch module with `model` =
 * `nn.Sequential(SpectrogramNorm, MultiBandRotationInvariantMLP, Flatten)`,
 * `conv_blocks` an `nn.ModuleList` of conv blocks and `classifier` = `nn.Linear`
 * (scripts/make_recurrent_golden.py builds it).
 */
export type CnnModelParams = {
  model: FrontEndParams;
  conv_blocks: ConvStackParams;
  classifier: LinearParams;
};

/**
 * (T, N, 2, electrodeChannels, F) -> (T - numBlocks · (K - 1), N, numClasses) log-probabilities.
 * Receptive field numBlocks · (K - 1) + 1 frames (finite: the model is a
 * plain convolution over time, the output aligned to the window's last frame).
 */
export function createCnnModel(
  config: CnnModelConfig = defaultCnnModelConfig,
  seed = 0,
): EmgModel<CnnModelConfig> {
  const nextSeed = seedSequence(seed);
  const front = createFrontEnd(config, nextSeed);
  const params: CnnModelParams = {
    model: front.params,
    conv_blocks: createConvStack(frontEndFeatures(config), config, nextSeed),
    classifier: createLinear(config.channels, config.numClasses, nextSeed),
  };
  const buffers = { model: front.buffers as FrontEndBuffers };
  const receptiveField = convStackReceptiveField(config);

  function forward(inputs: tf.Tensor, { training }: ForwardOptions): tf.Tensor {
    return tf.tidy(() => {
      const features = frontEnd(params.model, buffers.model, inputs, { training }) as tf.Tensor3D;
      return tf.logSoftmax(linear(params.classifier, convStack(params.conv_blocks, features)), -1);
    });
  }

  return assembleModel({
    kind: "cnn",
    config,
    params,
    buffers,
    forward,
    receptiveField,
    outputLength: (inputFrames) => Math.max(0, inputFrames - receptiveField + 1),
  });
}
