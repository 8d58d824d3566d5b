import {
  type AugmentConfig,
  EMG2QWERTY_EVAL_TRANSFORMS,
  EMG2QWERTY_TRAIN_TRANSFORMS,
  transformsInputShape,
  type WindowingOptions,
} from "@emgkit/emg-transforms";

/** Which part of a split a dataset serves; it decides windows, jitter and transforms. */
export type Phase = "train" | "val" | "test";

/** emg2qwerty's `WindowedEMGDataModule` settings (config/base.yaml and transforms/). */
export interface DataConfig {
  /** Samples per training and validation window (8000 = 4 s at 2 kHz). */
  windowLength: number;
  /** Context samples [left, right] read around each window. */
  padding: [number, number];
  batchSize: number;
  trainTransforms: AugmentConfig;
  evalTransforms: AugmentConfig;
}

export const defaultDataConfig: DataConfig = {
  windowLength: 8000,
  padding: [1800, 200],
  batchSize: 32,
  trainTransforms: EMG2QWERTY_TRAIN_TRANSFORMS,
  evalTransforms: EMG2QWERTY_EVAL_TRANSFORMS,
};

/**
 * Windows of each phase as emg2qwerty cuts them: train and val in windows with
 * padding (jitter for train only), test as whole sessions without padding.
 */
export function phaseWindowing(config: DataConfig, phase: Phase): WindowingOptions {
  if (phase === "test") return { windowLength: null, padding: [0, 0], jitter: false };
  return { windowLength: config.windowLength, padding: config.padding, jitter: phase === "train" };
}

/** Transforms of each phase: augmentations for train, the log-spectrogram alone otherwise. */
export function phaseTransforms(config: DataConfig, phase: Phase): AugmentConfig {
  return phase === "train" ? config.trainTransforms : config.evalTransforms;
}

/** Batch size of each phase: test runs whole sessions one at a time, as emg2qwerty does. */
export function phaseBatchSize(config: DataConfig, phase: Phase): number {
  return phase === "test" ? 1 : config.batchSize;
}

/**
 * The model config keys that fit this data's spectrograms: `electrodeChannels` (electrodes per
 * band) and `inFeatures` (electrodes x frequency bins), as `createModel(kind, { ...config,
 * ...modelInputConfig(data) })` takes them. Train and eval transforms must make the same shape
 * at the same sample rate.
 */
export function modelInputConfig(config: DataConfig): {
  electrodeChannels: number;
  inFeatures: number;
} {
  const train = transformsInputShape(config.trainTransforms);
  const evaluation = transformsInputShape(config.evalTransforms);
  const trainRate = config.trainTransforms.sampleRate ?? 2000;
  const evalRate = config.evalTransforms.sampleRate ?? 2000;
  if (
    train.electrodes !== evaluation.electrodes ||
    train.freqBins !== evaluation.freqBins ||
    trainRate !== evalRate
  ) {
    throw new RangeError(
      `train transforms make (2, ${train.electrodes}, ${train.freqBins}) frames at ${trainRate} Hz, ` +
        `eval transforms (2, ${evaluation.electrodes}, ${evaluation.freqBins}) at ${evalRate} Hz: ` +
        "they must agree",
    );
  }
  return { electrodeChannels: train.electrodes, inFeatures: train.electrodes * train.freqBins };
}
