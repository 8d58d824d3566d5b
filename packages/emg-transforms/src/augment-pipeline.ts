import { temporalAlignmentJitter } from "./alignment-jitter.js";
import { randomBandRotation } from "./band-rotation.js";
import {
  addGaussianNoise,
  type ChannelGainOptions,
  type NoiseOptions,
  randomChannelGain,
} from "./gain-noise.js";
import type { Random } from "./random.js";
import {
  type AppliedMask,
  type SpecAugmentOptions,
  type SpectrogramLike,
  specAugment,
} from "./spec-augment.js";

/**
 * A transforms config in the shape of emg2qwerty's `config/transforms/*.yaml`; a step left out is
 * not applied. The raw window is `(T, 2, 16)`.
 */
export interface AugmentConfig {
  /** `ForEach(RandomBandRotation(offsets))`: one offset per band. */
  bandRotation?: { offsets: readonly number[] };
  /** `TemporalAlignmentJitter(maxOffset)` (samples). */
  temporalJitter?: { maxOffset: number };
  /** Ours: per-channel log-uniform gain, after the jitter. */
  channelGain?: ChannelGainOptions;
  /** Ours: additive Gaussian noise, after the gain (sensor noise is not amplified by contact). */
  noise?: NoiseOptions;
  /** `LogSpectrogram(n_fft, hop_length)`. */
  logSpectrogram: { nFft: number; hopLength: number };
  /** `SpecAugment(...)` on the log-spectrogram. */
  specAugment?: SpecAugmentOptions;
}

/** emg2qwerty's `transforms.train` from `config/transforms/log_spectrogram.yaml`. */
export const EMG2QWERTY_TRAIN_TRANSFORMS: AugmentConfig = {
  bandRotation: { offsets: [-1, 0, 1] },
  temporalJitter: { maxOffset: 120 },
  logSpectrogram: { nFft: 64, hopLength: 16 },
  specAugment: { nTimeMasks: 3, timeMaskParam: 25, nFreqMasks: 2, freqMaskParam: 4 },
};

/** emg2qwerty's `transforms.val` (and test): the log-spectrogram only. */
export const EMG2QWERTY_EVAL_TRANSFORMS: AugmentConfig = {
  logSpectrogram: { nFft: 64, hopLength: 16 },
};

/** `logSpectrogram` from `./spectrogram.ts`: `(T, channels)` -> `(T', channels, freq)`. */
export type LogSpectrogramFn<S extends SpectrogramLike> = (
  signal: { data: Float32Array; frames: number; channels: number },
  options: { nFft: number; hopLength: number },
) => S;

/** What the pipeline drew, for inspection and tests; absent fields are steps not configured. */
export interface AugmentDraws {
  bandOffsets?: number[];
  jitterOffset?: number;
  gains?: Float64Array;
  noiseStd?: Float64Array;
  masks?: AppliedMask[];
}

const BANDS = 2;
const ELECTRODES = 16;
const CHANNELS = BANDS * ELECTRODES;

/**
 * Applies `config` to a raw `(T, 2, 16)` window in emg2qwerty's order: band rotation, temporal
 * jitter, (gain, noise), log-spectrogram, SpecAugment. Each step draws from its own stream forked
 * from `random` in that fixed order, whether configured or not, so one seed reproduces the
 * result and switching a step on or off leaves the other steps' draws unchanged.
 * Returns the `(T', 2, 16, freq)` spectrogram, the raw frame count after jitter, and the draws.
 */
export function augmentWindow<S extends SpectrogramLike>(
  emg: Float32Array,
  config: AugmentConfig,
  logSpectrogram: LogSpectrogramFn<S>,
  random: Random,
): { spectrogram: S; emgFrames: number; draws: AugmentDraws } {
  if (emg.length % CHANNELS !== 0) {
    throw new RangeError(`length ${emg.length} is not a multiple of 2 x 16`);
  }
  const rotationRandom = random.fork();
  const jitterRandom = random.fork();
  const gainRandom = random.fork();
  const noiseRandom = random.fork();
  const specAugmentRandom = random.fork();

  const draws: AugmentDraws = {};
  let signal = emg;
  let frames = emg.length / CHANNELS;
  if (config.bandRotation) {
    const rotated = randomBandRotation(signal, rotationRandom, config.bandRotation.offsets);
    signal = rotated.emg;
    draws.bandOffsets = rotated.offsets;
  }
  if (config.temporalJitter) {
    const jittered = temporalAlignmentJitter(
      signal,
      config.temporalJitter.maxOffset,
      jitterRandom,
      ELECTRODES,
    );
    signal = jittered.emg;
    frames = jittered.frames;
    draws.jitterOffset = jittered.offset;
  }
  if (config.channelGain) {
    const scaled = randomChannelGain(signal, config.channelGain, gainRandom, CHANNELS);
    signal = scaled.emg;
    draws.gains = scaled.gains;
  }
  if (config.noise) {
    const noisy = addGaussianNoise(signal, config.noise, noiseRandom, CHANNELS);
    signal = noisy.emg;
    draws.noiseStd = noisy.std;
  }
  let spectrogram = logSpectrogram(
    { data: signal, frames, channels: CHANNELS },
    config.logSpectrogram,
  );
  if (config.specAugment) {
    const masked = specAugment(spectrogram, config.specAugment, specAugmentRandom);
    spectrogram = { ...spectrogram, data: masked.data };
    draws.masks = masked.masks;
  }
  return { spectrogram, emgFrames: frames, draws };
}
