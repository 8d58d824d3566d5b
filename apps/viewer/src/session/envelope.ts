/**
 * The min/max envelope of every channel per pixel column of the visible range: what the channel
 * canvas draws when a pixel holds one sample or more. It comes from a pyramid level when
 * buckets are narrower than a pixel, else from the samples themselves. Buffers are reused from
 * frame to frame and grow only when the view gets wider.
 */
import type { ViewRange } from "../app-context.js";
import { foldBuckets, type PyramidLevel } from "./pyramid.js";
import type { SampleCache } from "./sample-cache.js";

export class Envelope {
  /** Smallest value per column, channel-major (`min[channel * columns + column]`). */
  min = new Float32Array(0);
  /** Largest value per column, channel-major. */
  max = new Float32Array(0);
  columns = 0;
  private readonly accMin: Float32Array;
  private readonly accMax: Float32Array;

  constructor(readonly channels: number) {
    this.accMin = new Float32Array(channels);
    this.accMax = new Float32Array(channels);
  }

  /** Sets the column count (allocating only when it exceeds what the buffers hold) and empties it. */
  reset(columns: number): void {
    if (columns * this.channels > this.min.length) {
      this.min = new Float32Array(columns * this.channels);
      this.max = new Float32Array(columns * this.channels);
    }
    this.columns = columns;
    this.min.fill(Number.POSITIVE_INFINITY, 0, columns * this.channels);
    this.max.fill(Number.NEGATIVE_INFINITY, 0, columns * this.channels);
  }

  /**
   * Fills the envelope from a pyramid level: column `x` covers samples
   * `[start + x * spp, start + (x + 1) * spp)` and takes the buckets that start in it (at least
   * the one holding its first sample).
   */
  fromLevel(level: PyramidLevel, range: ViewRange, columns: number): void {
    this.reset(columns);
    const spp = (range.end - range.start) / columns;
    const { factor, buckets } = level;
    for (let c = 0; c < this.channels; c++) {
      const base = c * buckets;
      const outBase = c * columns;
      for (let x = 0; x < columns; x++) {
        const first = Math.floor((range.start + x * spp) / factor);
        const last = Math.min(
          buckets,
          Math.max(first + 1, Math.floor((range.start + (x + 1) * spp) / factor)),
        );
        foldBuckets(level, base + first, base + last, this, outBase + x);
      }
    }
  }

  /**
   * Fills the envelope from the samples of the visible range: column `x` holds the samples `s`
   * with `floor((s - start) / spp) = x`.
   */
  fromSamples(cache: SampleCache, range: ViewRange, columns: number): void {
    this.reset(columns);
    const channels = this.channels;
    const spp = (range.end - range.start) / columns;
    const first = Math.max(0, Math.floor(range.start));
    const end = Math.min(cache.length, Math.ceil(range.end));
    const accMin = this.accMin;
    const accMax = this.accMax;
    let column = -1;
    let columnEnd = first;
    const blockSamples = cache.blockSamples;
    for (let s = first; s < end; ) {
      const blockIndex = Math.floor(s / blockSamples);
      const data = cache.block(blockIndex);
      const blockStart = blockIndex * blockSamples;
      const blockEnd = Math.min(end, blockStart + cache.blockRows(blockIndex));
      while (s < blockEnd) {
        if (s >= columnEnd) {
          if (column >= 0) this.flush(column, columns);
          column = Math.min(columns - 1, Math.floor((s - range.start) / spp));
          // The first sample of the next column (columns past the last one clamp to it).
          columnEnd =
            column === columns - 1
              ? end
              : Math.max(s + 1, Math.ceil(range.start + (column + 1) * spp));
          accMin.fill(Number.POSITIVE_INFINITY);
          accMax.fill(Number.NEGATIVE_INFINITY);
        }
        const stop = Math.min(blockEnd, columnEnd);
        for (let r = s - blockStart; r < stop - blockStart; r++) {
          const base = r * channels;
          for (let c = 0; c < channels; c++) {
            const v = data[base + c] as number;
            if (v < (accMin[c] as number)) accMin[c] = v;
            if (v > (accMax[c] as number)) accMax[c] = v;
          }
        }
        s = stop;
      }
    }
    if (column >= 0) this.flush(column, columns);
  }

  private flush(column: number, columns: number): void {
    for (let c = 0; c < this.channels; c++) {
      const i = c * columns + column;
      if ((this.accMin[c] as number) < (this.min[i] as number))
        this.min[i] = this.accMin[c] as number;
      if ((this.accMax[c] as number) > (this.max[i] as number))
        this.max[i] = this.accMax[c] as number;
    }
  }
}
