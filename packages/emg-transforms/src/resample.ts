/** emg2qwerty's EMG sample rate (Hz). */
export const EMG_SAMPLE_RATE = 2000;

/** Rates reachable from 2 kHz by integer decimation (factors 1, 2, 4, 8, 16). */
export const SUPPORTED_EMG_RATES = [2000, 1000, 500, 250, 125] as const;
export type EmgRate = (typeof SUPPORTED_EMG_RATES)[number];

/** emg2qwerty's spectrogram frame rate: 2000 Hz / hop 16. */
export const SPECTROGRAM_FRAME_RATE = 125;

/**
 * Anti-aliasing low-pass for decimation by `factor`, as fractions of the new rate `fs / factor`:
 * passband to 0.4, -6 dB cutoff at 0.45, stopband from 0.5 (the new Nyquist) on, so every
 * component that would fold back is attenuated by at least `attenuationDb`. Windowed sinc with a
 * Kaiser window (beta and length from Kaiser's formulas for `attenuationDb` and the 0.1 transition
 * width), odd length so the delay `(length - 1) / 2` is a whole number of samples, DC gain 1.
 * Factor 1 gives the identity `[1]`.
 */
export function designDecimationFilter(
  factor: number,
  { attenuationDb = 60 }: { attenuationDb?: number } = {},
): Float64Array {
  if (!(Number.isInteger(factor) && factor >= 1)) {
    throw new RangeError(`factor must be a positive integer, got ${factor}`);
  }
  if (factor === 1) return Float64Array.of(1);
  const cutoff = 0.45 / factor; // cycles per input sample
  const transitionRadians = (2 * Math.PI * 0.1) / factor;
  const minimumLength = Math.ceil((attenuationDb - 7.95) / (2.285 * transitionRadians)) + 1;
  const length = minimumLength % 2 === 1 ? minimumLength : minimumLength + 1;
  const beta = kaiserBeta(attenuationDb);
  const delay = (length - 1) / 2;
  const taps = new Float64Array(length);
  let sum = 0;
  for (let n = 0; n < length; n++) {
    const x = n - delay;
    const sinc = x === 0 ? 1 : Math.sin(2 * Math.PI * cutoff * x) / (2 * Math.PI * cutoff * x);
    const ratio = x / delay;
    const window = besselI0(beta * Math.sqrt(1 - ratio * ratio)) / besselI0(beta);
    taps[n] = sinc * window;
    sum += sinc * window;
  }
  for (let n = 0; n < length; n++) taps[n] = (taps[n] as number) / sum;
  return taps;
}

/**
 * Low-pass filters and keeps every `factor`-th frame of a `(T, channels)` signal. Output frame m
 * is input frame `m * factor` filtered by the zero-phase (delay-compensated) filter, so it stays on
 * the original time axis. Edges are extended by even reflection about the first and last sample
 * (numpy's `reflect`), which avoids the step a zero padding would make.
 * Returns `(ceil(T / factor), channels)`.
 */
export function decimate(
  signal: Float32Array,
  channels: number,
  factor: number,
  taps: Float64Array = designDecimationFilter(factor),
): { data: Float32Array; frames: number } {
  if (signal.length % channels !== 0) {
    throw new RangeError(`length ${signal.length} is not a multiple of channels ${channels}`);
  }
  if (taps.length % 2 !== 1) throw new RangeError("taps must have odd length (integer delay)");
  const inputFrames = signal.length / channels;
  const frames = Math.ceil(inputFrames / factor);
  const delay = (taps.length - 1) / 2;
  const padded = reflectPad(signal, inputFrames, channels, delay);
  const data = new Float32Array(frames * channels);
  const accumulator = new Float64Array(channels);
  for (let m = 0; m < frames; m++) {
    accumulator.fill(0);
    // Padded frame m * factor + delay is input frame m * factor: taps span it +- delay.
    const first = m * factor;
    for (let j = 0; j < taps.length; j++) {
      const weight = taps[j] as number;
      const row = (first + j) * channels;
      for (let c = 0; c < channels; c++) {
        accumulator[c] = (accumulator[c] as number) + weight * (padded[row + c] as number);
      }
    }
    data.set(accumulator, m * channels);
  }
  return { data, frames };
}

export interface ResampleOptions {
  /** Input rate (default 2000 Hz). */
  fromRate?: number;
  toRate: number;
  /** Values per frame (default 32: 2 bands x 16 electrodes). */
  channels?: number;
  /** Per-frame timestamps (T), thinned to the kept frames. */
  time?: Float64Array;
}

/**
 * Resamples a `(T, channels)` EMG window (default `(T, 2, 16)`) from `fromRate` to `toRate`, which
 * must divide it: anti-alias filter ({@link designDecimationFilter}), then every factor-th frame.
 * Returns `(ceil(T / factor), channels)` and, when given, the timestamps of the kept frames.
 */
export function resampleEmg(
  emg: Float32Array,
  { fromRate = EMG_SAMPLE_RATE, toRate, channels = 32, time }: ResampleOptions,
): { emg: Float32Array; frames: number; rate: number; time?: Float64Array } {
  const factor = fromRate / toRate;
  if (!(Number.isInteger(factor) && factor >= 1)) {
    throw new RangeError(`${toRate} Hz is not ${fromRate} Hz divided by a positive integer`);
  }
  if (time && time.length * channels !== emg.length) {
    throw new RangeError(`time has ${time.length} frames, emg ${emg.length / channels}`);
  }
  const { data, frames } = decimate(emg, channels, factor);
  if (!time) return { emg: data, frames, rate: toRate };
  const kept = new Float64Array(frames);
  for (let m = 0; m < frames; m++) kept[m] = time[m * factor] as number;
  return { emg: data, frames, rate: toRate, time: kept };
}

/** Spectrogram hop keeping emg2qwerty's 125 Hz frame rate: 16 at 2000 Hz ... 1 at 125 Hz. */
export function hopForRate(rate: number): number {
  const hop = rate / SPECTROGRAM_FRAME_RATE;
  if (!(Number.isInteger(hop) && hop >= 1)) {
    throw new RangeError(
      `${rate} Hz is not a multiple of the ${SPECTROGRAM_FRAME_RATE} Hz frame rate`,
    );
  }
  return hop;
}

/** Smallest n_fft the policy allows: 5 frequency bins. */
export const MIN_N_FFT = 8;

/**
 * n_fft keeping emg2qwerty's 32 ms window (64 at 2000 Hz: 64, 32, 16, 8 at 2000/1000/500/250 Hz),
 * but never below {@link MIN_N_FFT}: at 125 Hz a 32 ms window is 4 samples (3 bins), so it stays
 * at 8 (64 ms, 5 bins). Frequency bins: n_fft / 2 + 1.
 */
export function nFftForRate(rate: number): number {
  const nFft = (64 * rate) / EMG_SAMPLE_RATE;
  if (!Number.isInteger(nFft)) throw new RangeError(`no whole 32 ms window at ${rate} Hz`);
  return Math.max(MIN_N_FFT, nFft);
}

/** `{ nFft, hopLength }` for `logSpectrogram` on EMG sampled at `rate`. */
export function spectrogramParamsForRate(rate: number): { nFft: number; hopLength: number } {
  return { nFft: nFftForRate(rate), hopLength: hopForRate(rate) };
}

/** `(T + 2 pad, channels)`, extended by even reflection (period 2 (T - 1)). */
function reflectPad(
  signal: Float32Array,
  frames: number,
  channels: number,
  pad: number,
): Float32Array {
  const out = new Float32Array((frames + 2 * pad) * channels);
  const period = 2 * (frames - 1);
  for (let p = 0; p < frames + 2 * pad; p++) {
    let source = 0;
    if (period > 0) {
      source = (((p - pad) % period) + period) % period;
      if (source >= frames) source = period - source;
    }
    out.set(signal.subarray(source * channels, (source + 1) * channels), p * channels);
  }
  return out;
}

/** Kaiser's beta for a stopband attenuation in dB. */
function kaiserBeta(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) {
    return 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
  }
  return 0;
}

/** Modified Bessel function of the first kind, order 0 (power series; beta stays small). */
function besselI0(x: number): number {
  let term = 1;
  let sum = 1;
  const quarterSquare = (x * x) / 4;
  for (let k = 1; term > sum * 1e-17; k++) {
    term *= quarterSquare / (k * k);
    sum += term;
  }
  return sum;
}
