import { temporalAlignmentJitter } from "./alignment-jitter.js";
import { randomBandRotation } from "./band-rotation.js";
import { chooseElectrodes, selectElectrodes } from "./electrode-subset.js";
import {
  addGaussianNoise,
  type ChannelGainOptions,
  type NoiseOptions,
  randomChannelGain,
} from "./gain-noise.js";
import type { Random } from "./random.js";
import { decimate, designDecimationFilter, EMG_SAMPLE_RATE } from "./resample.js";
import {
  type AppliedMask,
  type SpecAugmentOptions,
  type SpectrogramLike,
  specAugment,
} from "./spec-augment.js";

/**
 * A transforms config in the shape of emg2qwerty's `config/transforms/*.yaml`; a step left out is
 * not applied. The raw window is `(T, 2, 16)` at 2 kHz.
 */
export interface AugmentConfig {
  /**
   * Ours: keep `count` electrodes per band (the same on both bands), chosen by
   * {@link chooseElectrodes} (`strategy` default `"spread"`, `start` default 0). Applied first.
   */
  electrodes?: { count: number; strategy?: "spread" | "contiguous"; start?: number };
  /**
   * Ours: resample the raw window from 2000 Hz to this rate (Hz, must divide 2000) with
   * {@link decimate}'s anti-aliasing filter, after the temporal jitter (whose `maxOffset` stays
   * in 2 kHz samples) and before gain, noise and the spectrogram. Pair it with
   * `spectrogramParamsForRate(rate)` to keep emg2qwerty's 125 Hz frame rate and 32 ms window.
   */
  sampleRate?: number;
  /** `ForEach(RandomBandRotation(offsets))`: one offset per band. */
  bandRotation?: { offsets: readonly number[] };
  /** `TemporalAlignmentJitter(maxOffset)` (samples at 2 kHz). */
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
  /** Electrodes kept per band (not drawn: fixed by the config), in output order. */
  electrodes?: number[];
  bandOffsets?: number[];
  jitterOffset?: number;
  gains?: Float64Array;
  noiseStd?: Float64Array;
  masks?: AppliedMask[];
}

const BANDS = 2;
/** Electrodes per band of the raw window. */
const RAW_ELECTRODES = 16;

/**
 * The `(bands, electrodes, freqBins)` of one spectrogram frame `augmentWindow` makes with
 * `config`, to size a model: its input features per band are `electrodes * freqBins`
 * (16 electrodes, nFft 64: 33 bins, 528 features). Throws what `augmentWindow` would throw for
 * an invalid electrode count or sample rate.
 */
export function transformsInputShape(config: AugmentConfig): {
  bands: number;
  electrodes: number;
  freqBins: number;
} {
  const electrodes = config.electrodes ? chooseConfigElectrodes(config.electrodes).length : 16;
  if (config.sampleRate !== undefined) resampleFactor(config.sampleRate);
  const { nFft } = config.logSpectrogram;
  if (!(Number.isInteger(nFft) && nFft >= 2 && nFft % 2 === 0)) {
    throw new RangeError(`nFft must be an even integer >= 2, got ${nFft}`);
  }
  return { bands: BANDS, electrodes, freqBins: nFft / 2 + 1 };
}

function chooseConfigElectrodes({
  count,
  strategy = "spread",
  start = 0,
}: NonNullable<AugmentConfig["electrodes"]>): number[] {
  if (strategy !== "spread" && strategy !== "contiguous") {
    throw new RangeError(`electrodes.strategy must be "spread" or "contiguous", got ${strategy}`);
  }
  return chooseElectrodes(count, { strategy, start, channels: RAW_ELECTRODES });
}

/** The anti-aliasing filter per decimation factor, designed once. */
const tapsByFactor = new Map<number, Float64Array>();

function decimationTaps(factor: number): Float64Array {
  let taps = tapsByFactor.get(factor);
  if (!taps) {
    taps = designDecimationFilter(factor);
    tapsByFactor.set(factor, taps);
  }
  return taps;
}

/** 2000 / rate, which must be a positive integer. */
function resampleFactor(rate: number): number {
  const factor = EMG_SAMPLE_RATE / rate;
  if (!(rate > 0 && Number.isInteger(factor))) {
    throw new RangeError(
      `sampleRate must divide ${EMG_SAMPLE_RATE} Hz exactly (1000, 500, 250, ...), got ${rate}`,
    );
  }
  return factor;
}

/**
 * Applies `config` to a raw `(T, 2, 16)` 2 kHz window in emg2qwerty's order, with our steps
 * around it: electrode subset, band rotation (over the kept electrodes), temporal jitter,
 * resampling, (gain, noise), log-spectrogram, SpecAugment. Each random step draws from its own
 * stream forked from `random` in a fixed order, whether configured or not, so one seed reproduces
 * the result and switching a step on or off leaves the other steps' draws unchanged.
 * Returns the `(T', 2, k, freq)` spectrogram (k electrodes kept, 16 by default), the raw frame
 * count after jitter and resampling, and the draws.
 */
export function augmentWindow<S extends SpectrogramLike>(
  emg: Float32Array,
  config: AugmentConfig,
  logSpectrogram: LogSpectrogramFn<S>,
  random: Random,
): { spectrogram: S; emgFrames: number; draws: AugmentDraws } {
  if (emg.length % (BANDS * RAW_ELECTRODES) !== 0) {
    throw new RangeError(`length ${emg.length} is not a multiple of 2 x 16`);
  }
  const kept = config.electrodes ? chooseConfigElectrodes(config.electrodes) : undefined;
  const factor = config.sampleRate === undefined ? 1 : resampleFactor(config.sampleRate);
  const rotationRandom = random.fork();
  const jitterRandom = random.fork();
  const gainRandom = random.fork();
  const noiseRandom = random.fork();
  const specAugmentRandom = random.fork();

  const draws: AugmentDraws = {};
  let signal = emg;
  let electrodes = RAW_ELECTRODES;
  if (kept) {
    signal = selectElectrodes(signal, kept, { bands: BANDS, channels: RAW_ELECTRODES });
    electrodes = kept.length;
    draws.electrodes = kept;
  }
  const channels = BANDS * electrodes;
  let frames = signal.length / channels;
  if (config.bandRotation) {
    const rotated = randomBandRotation(signal, rotationRandom, config.bandRotation.offsets, {
      bands: BANDS,
      channels: electrodes,
    });
    signal = rotated.emg;
    draws.bandOffsets = rotated.offsets;
  }
  if (config.temporalJitter) {
    const jittered = temporalAlignmentJitter(
      signal,
      config.temporalJitter.maxOffset,
      jitterRandom,
      electrodes,
    );
    signal = jittered.emg;
    frames = jittered.frames;
    draws.jitterOffset = jittered.offset;
  }
  if (factor !== 1 && frames > 0) {
    const resampled = decimate(signal, channels, factor, decimationTaps(factor));
    signal = resampled.data;
    frames = resampled.frames;
  }
  if (config.channelGain) {
    const scaled = randomChannelGain(signal, config.channelGain, gainRandom, channels);
    signal = scaled.emg;
    draws.gains = scaled.gains;
  }
  if (config.noise) {
    const noisy = addGaussianNoise(signal, config.noise, noiseRandom, channels);
    signal = noisy.emg;
    draws.noiseStd = noisy.std;
  }
  let spectrogram = logSpectrogram({ data: signal, frames, channels }, config.logSpectrogram);
  if (config.specAugment) {
    const masked = specAugment(spectrogram, config.specAugment, specAugmentRandom);
    spectrogram = { ...spectrogram, data: masked.data };
    draws.masks = masked.masks;
  }
  return { spectrogram, emgFrames: frames, draws };
}
