import {
  logSpectrogramWith,
  type Spectrogram,
  type SpectrogramOptions,
  StftPlan,
  spectrogramFrames,
} from "./spectrogram.js";

/**
 * Log-spectrogram of a stream fed in chunks of any size: each `push` returns
 * the frames its samples complete, and the frames of all pushes together equal
 * `logSpectrogram` of the whole signal, value for value.
 */
export class StreamingSpectrogram {
  private readonly plan: StftPlan;
  /** Samples not yet consumed, row-major (pending, C); starts at the next frame's first sample. */
  private pending: Float32Array;
  private pendingFrames = 0;
  /** Samples still to drop before the next frame starts (when hop > nFft). */
  private skip = 0;

  constructor(
    readonly channels: number,
    readonly options: SpectrogramOptions,
  ) {
    if (!Number.isInteger(channels) || channels < 1)
      throw new RangeError(`channels must be >= 1, got ${channels}`);
    this.plan = new StftPlan(options);
    this.pending = new Float32Array(options.nFft * channels * 2);
  }

  /**
   * Feeds samples row-major (t, C) and returns the frames they complete, (t', C, F).
   */
  push(chunk: Float32Array): Spectrogram {
    const { channels } = this;
    if (chunk.length % channels !== 0) {
      throw new RangeError(
        `chunk of ${chunk.length} values is not whole samples of ${channels} channels`,
      );
    }
    const dropped = Math.min(this.skip, chunk.length / channels);
    this.skip -= dropped;
    this.append(chunk.subarray(dropped * channels));
    const spectrogram = logSpectrogramWith(this.plan, {
      data: this.pending.subarray(0, this.pendingFrames * channels),
      frames: this.pendingFrames,
      channels,
    });
    // Consume the samples of the emitted frames: the next frame starts frames * hop further on.
    const advance = spectrogram.frames * this.options.hopLength;
    const consumed = Math.min(advance, this.pendingFrames);
    this.skip += advance - consumed;
    this.pending.copyWithin(0, consumed * channels, this.pendingFrames * channels);
    this.pendingFrames -= consumed;
    return spectrogram;
  }

  /** Forgets buffered samples: the next push starts a new stream. */
  reset(): void {
    this.pendingFrames = 0;
    this.skip = 0;
  }

  /** Frames that `samples` more samples would complete (for sizing buffers). */
  framesAfter(samples: number): number {
    return spectrogramFrames(Math.max(0, this.pendingFrames + samples - this.skip), this.options);
  }

  private append(samples: Float32Array): void {
    const needed = this.pendingFrames * this.channels + samples.length;
    if (needed > this.pending.length) {
      const grown = new Float32Array(Math.max(needed, this.pending.length * 2));
      grown.set(this.pending.subarray(0, this.pendingFrames * this.channels));
      this.pending = grown;
    }
    this.pending.set(samples, this.pendingFrames * this.channels);
    this.pendingFrames += samples.length / this.channels;
  }
}
