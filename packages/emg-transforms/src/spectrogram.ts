import { log10InPlace } from "./fast-log10.js";
import { MultichannelPowerFft } from "./multichannel-fft.js";
import { checkSignal, type Signal } from "./signal.js";

/** STFT parameters, as emg2qwerty's `LogSpectrogram` (defaults 64 and 16 at 2 kHz). */
export interface SpectrogramOptions {
  /** FFT size, a power of two >= 2; gives nFft / 2 + 1 frequency bins. */
  nFft: number;
  /** Samples between consecutive frames, >= 1. */
  hopLength: number;
}

/** A spectrogram: `data` row-major (frames, channels, freqs). */
export interface Spectrogram {
  data: Float32Array;
  frames: number;
  channels: number;
  freqs: number;
}

/** Added before the logarithm, as emg2qwerty does (`log10(x + 1e-6)`). */
export const LOG_FLOOR = 1e-6;

/** Number of STFT frames of a signal without centering: 1 + floor((T - nFft) / hop), or 0. */
export function spectrogramFrames(
  samples: number,
  { nFft, hopLength }: SpectrogramOptions,
): number {
  return samples < nFft ? 0 : 1 + Math.floor((samples - nFft) / hopLength);
}

/**
 * Reusable STFT machinery for one (nFft, hop) and channel count: the periodic
 * Hann window scaled by 1 / sqrt(sum w^2) (torchaudio's `normalized=True`) and
 * the FFT with its scratch buffers.
 */
export class StftPlan {
  readonly freqs: number;
  private readonly window: Float64Array;
  private readonly ffts = new Map<number, MultichannelPowerFft>();

  constructor(readonly options: SpectrogramOptions) {
    const { nFft, hopLength } = options;
    if (!Number.isInteger(nFft) || nFft < 2 || (nFft & (nFft - 1)) !== 0) {
      throw new RangeError(`nFft must be a power of two >= 2, got ${nFft}`);
    }
    if (!Number.isInteger(hopLength) || hopLength < 1) {
      throw new RangeError(`hopLength must be a whole number >= 1, got ${hopLength}`);
    }
    this.freqs = nFft / 2 + 1;
    const hann = Float64Array.from(
      { length: nFft },
      (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / nFft),
    );
    const norm = Math.sqrt(hann.reduce((sum, w) => sum + w * w, 0));
    this.window = hann.map((w) => w / norm);
  }

  /** The FFT for signals of `channels` channels (made on first use). */
  fftFor(channels: number): MultichannelPowerFft {
    let fft = this.ffts.get(channels);
    if (fft === undefined) {
      fft = new MultichannelPowerFft(this.options.nFft, channels, this.window);
      this.ffts.set(channels, fft);
    }
    return fft;
  }
}

/**
 * log10 power spectrogram of every channel: torchaudio's
 * `Spectrogram(n_fft, hop_length, normalized=True, center=False)` (periodic
 * Hann window, power 2) then `log10(x + 1e-6)`, as emg2qwerty's `LogSpectrogram`.
 *
 * @param signal raw samples, row-major (T, C) — e.g. an emg-io window (T, 2, 16) as C = 32
 * @returns (T', C, nFft / 2 + 1) with T' = 1 + floor((T - nFft) / hop)
 */
export function logSpectrogram(signal: Signal, options: SpectrogramOptions): Spectrogram {
  checkSignal(signal);
  return logSpectrogramWith(new StftPlan(options), signal);
}

/** `logSpectrogram` with a plan made once, for many windows of the same settings. */
export function logSpectrogramWith(plan: StftPlan, signal: Signal): Spectrogram {
  const { data, channels } = signal;
  const frames = spectrogramFrames(signal.frames, plan.options);
  const { freqs } = plan;
  const power = new Float64Array(frames * channels * freqs);
  const fft = plan.fftFor(channels);
  for (let f = 0; f < frames; f++)
    fft.power(data, f * plan.options.hopLength, power, f * channels * freqs);
  for (let i = 0; i < power.length; i++) power[i] = (power[i] as number) + LOG_FLOOR;
  log10InPlace(power);
  return { data: Float32Array.from(power), frames, channels, freqs };
}
