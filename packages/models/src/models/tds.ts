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

/** emg2qwerty's `TDSConvCTCModule` hyperparameters (config/model/tds_conv_ctc.yaml). */
export interface TdsConfig {
  /** Electrode channels · frequency bins per band (16 · 33). */
  inFeatures: number;
  /** Electrodes per band (default 16): inputs are (T, N, 2, electrodeChannels, inFeatures / it). */
  electrodeChannels?: number;
  mlpFeatures: number[];
  /** Channels of each TDS conv block; each must divide bands · mlpFeatures.at(-1). */
  blockChannels: number[];
  /** Temporal kernel of every conv block, in frames. */
  kernelWidth: number;
  numClasses: number;
}

export const defaultTdsConfig: TdsConfig = {
  inFeatures: 528,
  mlpFeatures: [384],
  blockChannels: [24, 24, 24, 24],
  kernelWidth: 32,
  numClasses: 99,
};

/** `TDSConv2dBlock`: temporal conv over (channels, width) with kernel (1, K). */
type TdsConvBlockParams = {
  conv2d: TemporalConvParams;
  layer_norm: LayerNormParams;
};

/** `TDSFullyConnectedBlock`: Linear, ReLU, Linear in `fc_block` (indices 0 and 2). */
type TdsFullyConnectedBlockParams = {
  fc_block: { "0": LinearParams; "2": LinearParams };
  layer_norm: LayerNormParams;
};

type TdsBlockParams = TdsConvBlockParams | TdsFullyConnectedBlockParams;

/**
 * Named as `TDSConvCTCModule.state_dict()`: `model.0` SpectrogramNorm,
 * `model.1` MultiBandRotationInvariantMLP, (`model.2` Flatten),
 * `model.3.tds_conv_blocks.{2i, 2i+1}` conv and fully connected blocks,
 * `model.4` the classifier Linear (`model.5` LogSoftmax).
 */
export type TdsParams = {
  model: FrontEndParams & {
    "3": { tds_conv_blocks: { [index: string]: TdsBlockParams } };
    "4": LinearParams;
  };
};

export type TdsBuffers = {
  model: FrontEndBuffers;
};

/** Input frames one output frame sees: blocks · (K - 1) + 1 (125 for the default). */
export function tdsReceptiveField(config: TdsConfig): number {
  return config.blockChannels.length * (config.kernelWidth - 1) + 1;
}

/**
 * emg2qwerty's TDS-conv CTC model: (T, N, 2, electrodeChannels, F) spectrograms ->
 * (T - blocks · (K - 1), N, numClasses) log-probabilities. Valid temporal
 * convolutions shorten the sequence by K - 1 frames per block.
 */
export function createTds(config: TdsConfig = defaultTdsConfig, seed = 0): EmgModel<TdsConfig> {
  const nextSeed = seedSequence(seed);
  const frontConfig = {
    inFeatures: config.inFeatures,
    mlpFeatures: config.mlpFeatures,
    electrodeChannels: config.electrodeChannels,
  };
  const front = createFrontEnd(frontConfig, nextSeed);
  const numFeatures = frontEndFeatures(frontConfig);
  const blocks: { [index: string]: TdsBlockParams } = {};
  config.blockChannels.forEach((channels, i) => {
    if (numFeatures % channels !== 0) {
      throw new Error(`block channels ${channels} must divide the ${numFeatures} features`);
    }
    blocks[String(2 * i)] = {
      conv2d: createTemporalConv(channels, channels, config.kernelWidth, nextSeed),
      layer_norm: createLayerNorm(numFeatures),
    };
    blocks[String(2 * i + 1)] = {
      fc_block: {
        "0": createLinear(numFeatures, numFeatures, nextSeed),
        "2": createLinear(numFeatures, numFeatures, nextSeed),
      },
      layer_norm: createLayerNorm(numFeatures),
    };
  });
  const params: TdsParams = {
    model: {
      ...front.params,
      "3": { tds_conv_blocks: blocks },
      "4": createLinear(numFeatures, config.numClasses, nextSeed),
    },
  };
  const buffers: TdsBuffers = { model: front.buffers };
  const receptiveField = tdsReceptiveField(config);

  function forward(inputs: tf.Tensor, { training }: ForwardOptions): tf.Tensor {
    return tf.tidy(() => {
      let x = frontEnd(params.model, buffers.model, inputs, { training }); // (T, N, features)
      // Checkpointed: the backward pass keeps block inputs, not every activation.
      const blocks = Object.values(params.model["3"].tds_conv_blocks).map((block) => ({
        run: (input: tf.Tensor) =>
          "conv2d" in block ? tdsConvBlock(block, input) : tdsFullyConnectedBlock(block, input),
        params: variablesOf(block),
      }));
      x = checkpointSequence(blocks, x);
      return tf.logSoftmax(linear(params.model["4"], x), -1);
    });
  }

  return assembleModel({
    kind: "tds",
    config,
    params,
    buffers,
    forward,
    receptiveField,
    outputLength: (inputFrames) => Math.max(0, inputFrames - receptiveField + 1),
  });
}

/**
 * (T, N, channels · width) -> (T - K + 1, N, channels · width): temporal
 * conv on the (channels, width) view, ReLU, residual from the last T_out
 * input frames, LayerNorm over all features.
 */
function tdsConvBlock(block: TdsConvBlockParams, x: tf.Tensor): tf.Tensor {
  const [frames, batch, features] = x.shape as [number, number, number];
  const channels = block.conv2d.weight.shape[0] as number;
  const convolved = tf.relu(
    temporalConv(block.conv2d, tf.reshape(x, [frames, batch, channels, features / channels])),
  );
  const outFrames = convolved.shape[0] as number;
  const residual = tf.slice(x, [frames - outFrames, 0, 0], [outFrames, batch, features]);
  return layerNorm(
    block.layer_norm,
    tf.add(tf.reshape(convolved, [outFrames, batch, features]), residual),
  );
}

/** (T, N, F) -> (T, N, F): Linear, ReLU, Linear, residual, LayerNorm. */
function tdsFullyConnectedBlock(block: TdsFullyConnectedBlockParams, x: tf.Tensor): tf.Tensor {
  const hidden = linear(block.fc_block["2"], tf.relu(linear(block.fc_block["0"], x)));
  return layerNorm(block.layer_norm, tf.add(hidden, x));
}
