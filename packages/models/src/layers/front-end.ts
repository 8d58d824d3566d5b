import * as tf from "@tensorflow/tfjs-core";
import { checkpoint, variablesOf } from "./checkpoint.js";
import {
  bandsRotationInvariantMLP,
  createRotationInvariantMLP,
  type RotationInvariantMLPParams,
} from "./rotation-invariant-mlp.js";
import {
  type BatchNormBuffers,
  type BatchNormParams,
  createBatchNorm,
  spectrogramNorm,
} from "./spectrogram-norm.js";

/** emg2qwerty's spectrogram front end (`SpectrogramNorm` + `MultiBandRotationInvariantMLP`). */
export interface FrontEndConfig {
  /** Electrode channels · frequency bins of one band (16 · 33 = 528; 4 · 17 = 68). */
  inFeatures: number;
  /** MLP widths (emg2qwerty: [384]). */
  mlpFeatures: number[];
  pooling?: "mean" | "max";
  offsets?: number[];
  /** Bands (wristbands), default 2. */
  numBands?: number;
  /** Electrodes per band, default 16 (sizes the BatchNorm: bands · electrodeChannels). */
  electrodeChannels?: number;
}

/**
 * Keys "0" and "1" are the front end's positions in emg2qwerty's
 * `TDSConvCTCModule.model` `nn.Sequential` (index 2 is the parameterless
 * Flatten), so a model that keeps that layout puts this tree under its
 * `model` key and state_dict names come out equal.
 */
export type FrontEndParams = {
  "0": { batch_norm: BatchNormParams };
  "1": { mlps: { [band: string]: RotationInvariantMLPParams } };
};

export type FrontEndBuffers = {
  "0": { batch_norm: BatchNormBuffers };
};

export function createFrontEnd(
  config: FrontEndConfig,
  nextSeed: () => number,
): { params: FrontEndParams; buffers: FrontEndBuffers } {
  const numBands = config.numBands ?? 2;
  const electrodes = config.electrodeChannels ?? 16;
  if (!(Number.isInteger(electrodes) && electrodes >= 1)) {
    throw new Error(`electrodeChannels must be a positive integer, got ${electrodes}`);
  }
  if (config.inFeatures % electrodes !== 0) {
    throw new Error(
      `inFeatures ${config.inFeatures} is not electrodeChannels ${electrodes} · frequency bins`,
    );
  }
  const norm = createBatchNorm(numBands * electrodes);
  const mlps: { [band: string]: RotationInvariantMLPParams } = {};
  for (let band = 0; band < numBands; band++) {
    mlps[String(band)] = createRotationInvariantMLP(
      config.inFeatures,
      config.mlpFeatures,
      nextSeed,
    );
  }
  return {
    params: { "0": { batch_norm: norm.params }, "1": { mlps } },
    buffers: { "0": { batch_norm: norm.buffers } },
  };
}

/** Features per frame that the front end emits: bands · mlpFeatures.at(-1). */
export function frontEndFeatures(config: FrontEndConfig): number {
  return (config.numBands ?? 2) * (config.mlpFeatures.at(-1) ?? 0);
}

/**
 * (T, N, bands, C, freq) -> (T, N, bands · mlpFeatures.at(-1)): per-channel
 * BatchNorm, one rotation-invariant MLP per band, bands flattened.
 * `training` uses batch statistics and updates the running ones.
 */
export function frontEnd(
  params: FrontEndParams,
  buffers: FrontEndBuffers,
  x: tf.Tensor,
  { training, config }: { training: boolean; config?: Pick<FrontEndConfig, "pooling" | "offsets"> },
): tf.Tensor {
  const [frames, batch] = x.shape as [number, number];
  const mlps = Object.values(params["1"].mlps);
  if (x.shape[2] !== mlps.length) {
    throw new Error(`front end expects ${mlps.length} bands on axis 2, got shape ${x.shape}`);
  }
  const electrodes = (params["0"].batch_norm.weight.shape[0] as number) / mlps.length;
  const inFeatures = Object.values(mlps[0]?.mlp ?? {})[0]?.weight.shape[1];
  if (
    x.rank !== 5 ||
    x.shape[3] !== electrodes ||
    (inFeatures !== undefined && (x.shape[3] as number) * (x.shape[4] as number) !== inFeatures)
  ) {
    throw new Error(
      `front end expects (T, N, ${mlps.length}, ${electrodes}, ${(inFeatures ?? 0) / electrodes}) ` +
        `inputs (electrodeChannels ${electrodes}, inFeatures ${inFeatures}), got shape [${x.shape}]`,
    );
  }
  return tf.tidy(() => {
    const normalised = spectrogramNorm(params["0"].batch_norm, buffers["0"].batch_norm, x, {
      training,
    });
    // Checkpointed: the MLP's rotations are the largest activations of every model.
    const perBand = checkpoint(
      (input) =>
        bandsRotationInvariantMLP(mlps, input, {
          pooling: config?.pooling,
          offsets: config?.offsets,
        }),
      [normalised],
      variablesOf(mlps),
    );
    return tf.reshape(perBand, [frames, batch, -1]);
  });
}
