import { checkSignal, type Signal } from "./signal.js";
import { WasmSpectrogramKernel } from "./wasm/wasm-spectrogram.js";

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
 * the wasm kernel (one per channel count).
 */
export class StftPlan {
  readonly freqs: number;
  private readonly window: Float64Array;
  private readonly kernels = new Map<number, WasmSpectrogramKernel>();

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

  /** The kernel for signals of `channels` channels (made on first use). */
  kernelFor(channels: number): WasmSpectrogramKernel {
    let kernel = this.kernels.get(channels);
    if (kernel === undefined) {
      kernel = new WasmSpectrogramKernel(this.options.nFft, channels, this.window);
      this.kernels.set(channels, kernel);
    }
    return kernel;
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
  const out = new Float32Array(frames * channels * freqs);
  if (plan.kernelFor(channels).run(data, frames, plan.options.hopLength, out)) {
    return { data: out, frames, channels, freqs };
  }
  // The kernel transforms channels in pairs, so a NaN or infinity would spill into its
  // partner. Pair every channel with silence instead, so each stays on its own as in torchaudio.
  const alone = new Float32Array(data.length * 2);
  for (let i = 0; i < data.length; i++) alone[2 * i] = data[i] as number;
  const both = new Float32Array(frames * channels * 2 * freqs);
  plan.kernelFor(channels * 2).run(alone, frames, plan.options.hopLength, both);
  for (let row = 0; row < frames * channels; row++) {
    out.set(both.subarray(2 * row * freqs, (2 * row + 1) * freqs), row * freqs);
  }
  return { data: out, frames, channels, freqs };
}
