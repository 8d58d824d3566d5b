import * as tf from "@tensorflow/tfjs-core";
import { seedSequence } from "../init.js";
import { checkpointSequence, variablesOf } from "../layers/checkpoint.js";
import { createFrontEnd, frontEnd, frontEndFeatures } from "../layers/front-end.js";
import { createLinear, linear } from "../layers/linear.js";
import { createTcnBlock, type TcnBlockParams, tcnBlock } from "../layers/tcn-residual-block.js";
import { assembleModel, type EmgModel, type ForwardOptions } from "../model.js";

export interface TcnConfig {
  /** Electrode channels · frequency bins per band (16 · 33), as emg2qwerty's front end. */
  inFeatures: number;
  /** Electrodes per band (default 16): inputs are (T, N, 2, electrodeChannels, inFeatures / it). */
  electrodeChannels?: number;
  mlpFeatures: number[];
  /** Output channels of each residual block; block i convolves with dilation 2^i. */
  blockChannels: number[];
  /** Taps of every convolution. */
  kernelSize: number;
  /** Dropout after each convolution's activation, in training only. */
  dropout: number;
  numClasses: number;
}

/** emg2qwerty's front end, then 6 blocks of 512 channels, kernel 3: 253 frames (about 2 s) of context. */
export const defaultTcnConfig: TcnConfig = {
  inFeatures: 528,
  mlpFeatures: [384],
  blockChannels: [512, 512, 512, 512, 512, 512],
  kernelSize: 3,
  dropout: 0.1,
  numClasses: 99,
};

/** Input frames one output frame sees: 1 + Σ_i 2 · (K - 1) · 2^i (two convolutions per block). */
export function tcnReceptiveField(config: TcnConfig): number {
  return config.blockChannels.reduce(
    (frames, _, block) => frames + 2 * (config.kernelSize - 1) * 2 ** block,
    1,
  );
}

/**
 * A temporal convolutional network, as the PyTorch
 * `nn.Sequential(SpectrogramNorm, MultiBandRotationInvariantMLP, Flatten,
 * TCNEncoder, Linear(blockChannels[-1], numClasses), LogSoftmax)` under `model`, with
 * `TCNEncoder.blocks` the residual blocks (`model.3.blocks.{i}.conv1.weight`, ...).
 *
 * Every convolution is causal with left zero padding, so T_out = T_in and
 * output frame t depends only on input frames t - receptiveField + 1 .. t:
 * the model streams with receptiveField - 1 frames of history, and emission
 * lengths equal input lengths for CTC.
 */
export function createTcn(config: TcnConfig = defaultTcnConfig, seed = 0): EmgModel<TcnConfig> {
  const nextSeed = seedSequence(seed);
  const front = createFrontEnd(config, nextSeed);
  const blocks: Record<string, TcnBlockParams> = {};
  let channels = frontEndFeatures(config);
  config.blockChannels.forEach((outChannels, block) => {
    blocks[String(block)] = createTcnBlock(channels, outChannels, config.kernelSize, nextSeed);
    channels = outChannels;
  });
  const classifier = createLinear(channels, config.numClasses, nextSeed);
  const params = { model: { ...front.params, "3": { blocks }, "4": classifier } };
  const buffers = { model: front.buffers };

  function forward(inputs: tf.Tensor, { training }: ForwardOptions): tf.Tensor {
    return tf.tidy(() => {
      let x = frontEnd(front.params, front.buffers, inputs, { training }) as tf.Tensor3D;
      // Checkpointed: the backward pass keeps block inputs, not every activation.
      const sequence = Object.values(blocks).map((block, index) => ({
        run: (input: tf.Tensor) =>
          tcnBlock(block, input as tf.Tensor3D, {
            dilation: 2 ** index,
            dropout: config.dropout,
            training,
          }),
        params: variablesOf(block),
      }));
      x = checkpointSequence(sequence, x) as tf.Tensor3D;
      return tf.logSoftmax(linear(classifier, x));
    });
  }

  return assembleModel({
    kind: "tcn",
    config,
    params,
    buffers,
    forward,
    outputLength: (inputFrames) => inputFrames,
    receptiveField: tcnReceptiveField(config),
  });
}
