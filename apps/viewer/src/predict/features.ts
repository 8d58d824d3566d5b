/**
 * A model's inputs from raw EMG, fed in chunks: the deterministic eval transforms (electrode
 * subset, resampling, log-spectrogram) applied incrementally, frame for frame equal to
 * `augmentWindow` over the whole signal. No DOM, no tfjs.
 */
import {
  type AugmentConfig,
  augmentWindow,
  chooseElectrodes,
  designDecimationFilter,
  EMG_SAMPLE_RATE,
  logSpectrogram,
  Random,
  StreamingSpectrogram,
  selectElectrodes,
} from "@emgkit/emg-transforms";
import type { InputFrames } from "@emgkit/models";

const BANDS = 2;
const RAW_ELECTRODES = 16;
/** Values per raw sample: 2 bands x 16 electrodes. */
export const RAW_CHANNELS = BANDS * RAW_ELECTRODES;

export type { InputFrames };

/** Where the frames of a transforms config sit on the 2 kHz sample axis. */
export interface FrameGeometry {
  /** 2000 / sampleRate (1 without resampling). */
  factor: number;
  /** Raw (2 kHz) samples between frames. */
  hop: number;
  /** Raw samples one frame's window spans. */
  window: number;
  electrodes: number;
  freqs: number;
}

export function frameGeometry(transforms: AugmentConfig): FrameGeometry {
  const factor = transforms.sampleRate === undefined ? 1 : EMG_SAMPLE_RATE / transforms.sampleRate;
  const { nFft, hopLength } = transforms.logSpectrogram;
  return {
    factor,
    hop: hopLength * factor,
    window: nFft * factor,
    electrodes: transforms.electrodes?.count ?? RAW_ELECTRODES,
    freqs: nFft / 2 + 1,
  };
}

/**
 * Raw sample (from the signal's first sample, fractional) at the centre of frame `frame`'s window:
 * frame f covers resampled samples f·hop .. f·hop + nFft - 1.
 */
export function frameCenterSample(frame: number, geometry: FrameGeometry): number {
  const { factor, hop, window } = geometry;
  return frame * hop + ((window / factor - 1) / 2) * factor;
}

/**
 * The inputs `augmentWindow` makes of a whole raw `(T, 2, 16)` window with `transforms` (no
 * random steps: `inferenceTransforms` strips them): the batch reference of {@link StreamingFeatures}.
 */
export function windowInputs(emg: Float32Array, transforms: AugmentConfig): InputFrames {
  const { spectrogram } = augmentWindow(emg, transforms, logSpectrogram, new Random(0));
  return {
    data: spectrogram.data,
    frames: spectrogram.frames,
    electrodes: spectrogram.channels / BANDS,
    freqs: spectrogram.freqs,
  };
}

/**
 * `decimate` (emg-transforms) fed in chunks: output frame m is input frame m·factor filtered by
 * the zero-phase filter, the left edge reflected as the batch does. A frame is emitted once the
 * `delay` samples after it have arrived; `finish` emits the rest with the right edge reflected,
 * so the frames of all calls equal `decimate` of the whole signal, value for value.
 */
export class StreamingDecimator {
  readonly delay: number;
  private readonly taps: Float64Array;
  /** Input samples kept, row-major (kept, channels); buffer row 0 is input sample `base`. */
  private buffer: Float32Array;
  private base = 0;
  private received = 0;
  private next = 0;
  private readonly accumulator: Float64Array;

  constructor(
    readonly channels: number,
    readonly factor: number,
  ) {
    this.taps = designDecimationFilter(factor);
    this.delay = (this.taps.length - 1) / 2;
    this.buffer = new Float32Array(channels * Math.max(1024, 4 * this.taps.length));
    this.accumulator = new Float64Array(channels);
  }

  push(chunk: Float32Array): Float32Array {
    this.append(chunk);
    const ready: number[] = [];
    // Frame m needs input samples up to m·factor + delay (left of 0: reflected, already here).
    while (this.next * this.factor + this.delay < this.received) ready.push(this.next++);
    return this.emit(ready, this.received);
  }

  /** Emits the frames still owed, `ceil(T / factor)` in all; the stream must then be reset. */
  finish(): Float32Array {
    const ready: number[] = [];
    while (this.next * this.factor < this.received) ready.push(this.next++);
    return this.emit(ready, this.received);
  }

  reset(): void {
    this.base = 0;
    this.received = 0;
    this.next = 0;
  }

  private emit(frames: number[], total: number): Float32Array {
    const { channels, taps, delay, factor, accumulator } = this;
    const out = new Float32Array(frames.length * channels);
    const period = 2 * (total - 1);
    frames.forEach((m, row) => {
      accumulator.fill(0);
      for (let j = 0; j < taps.length; j++) {
        let source = m * factor + j - delay;
        if (period > 0) {
          source = ((source % period) + period) % period;
          if (source >= total) source = period - source;
        } else source = 0;
        const weight = taps[j] as number;
        const offset = (source - this.base) * channels;
        for (let c = 0; c < channels; c++) {
          accumulator[c] =
            (accumulator[c] as number) + weight * (this.buffer[offset + c] as number);
        }
      }
      out.set(accumulator, row * channels);
    });
    this.trim();
    return out;
  }

  /** Drops the samples no later frame reads: before `next·factor - delay` (none while that is < 0). */
  private trim(): void {
    const firstNeeded = Math.min(Math.max(0, this.next * this.factor - this.delay), this.received);
    if (firstNeeded <= this.base) return;
    const { channels } = this;
    this.buffer.copyWithin(
      0,
      (firstNeeded - this.base) * channels,
      (this.received - this.base) * channels,
    );
    this.base = firstNeeded;
  }

  private append(chunk: Float32Array): void {
    const { channels } = this;
    if (chunk.length % channels !== 0) {
      throw new RangeError(`chunk of ${chunk.length} values is not whole samples of ${channels}`);
    }
    const kept = (this.received - this.base) * channels;
    if (kept + chunk.length > this.buffer.length) {
      const grown = new Float32Array(Math.max(kept + chunk.length, 2 * this.buffer.length));
      grown.set(this.buffer.subarray(0, kept));
      this.buffer = grown;
    }
    this.buffer.set(chunk, kept);
    this.received += chunk.length / channels;
  }
}

/**
 * A model's input frames from raw `(t, 2, 16)` EMG chunks of any size: electrode subset, streaming
 * decimation, streaming log-spectrogram. The frames of every `push` plus `finish` equal
 * {@link windowInputs} of the whole signal.
 */
export class StreamingFeatures {
  readonly geometry: FrameGeometry;
  private readonly kept: number[] | null;
  private readonly decimator: StreamingDecimator | null;
  private readonly spectrogram: StreamingSpectrogram;

  constructor(readonly transforms: AugmentConfig) {
    this.geometry = frameGeometry(transforms);
    const electrodes = transforms.electrodes;
    this.kept = electrodes
      ? chooseElectrodes(electrodes.count, {
          strategy: electrodes.strategy ?? "spread",
          start: electrodes.start ?? 0,
          channels: RAW_ELECTRODES,
        })
      : null;
    const channels = BANDS * this.geometry.electrodes;
    this.decimator =
      this.geometry.factor === 1 ? null : new StreamingDecimator(channels, this.geometry.factor);
    this.spectrogram = new StreamingSpectrogram(channels, transforms.logSpectrogram);
  }

  /** Raw samples a frame waits for after its window ends (the decimation filter's delay). */
  get lookahead(): number {
    return (this.decimator?.delay ?? 0) * (this.decimator?.factor ?? 1);
  }

  /** Feeds raw `(t, 2, 16)` samples; returns the frames they complete. */
  push(emg: Float32Array): InputFrames {
    if (emg.length % RAW_CHANNELS !== 0) {
      throw new RangeError(`${emg.length} values are not whole samples of 2 x 16 channels`);
    }
    let signal = this.kept ? selectElectrodes(emg, this.kept) : emg;
    if (this.decimator) signal = this.decimator.push(signal);
    return this.frames(signal);
  }

  /** The frames still owed at the end of the signal (only the decimation holds any back). */
  finish(): InputFrames {
    return this.frames(this.decimator ? this.decimator.finish() : new Float32Array(0));
  }

  reset(): void {
    this.decimator?.reset();
    this.spectrogram.reset();
  }

  private frames(signal: Float32Array): InputFrames {
    const spectrogram = this.spectrogram.push(signal);
    return {
      data: spectrogram.data,
      frames: spectrogram.frames,
      electrodes: this.geometry.electrodes,
      freqs: spectrogram.freqs,
    };
  }
}

/** Frames `a` then `b` as one block (same electrodes and bins). */
export function concatFrames(a: InputFrames, b: InputFrames): InputFrames {
  if (a.frames === 0) return b;
  if (b.frames === 0) return a;
  const data = new Float32Array(a.data.length + b.data.length);
  data.set(a.data);
  data.set(b.data, a.data.length);
  return { ...a, data, frames: a.frames + b.frames };
}
