/**
 * Full-resolution samples for the detail view: fixed blocks of the session read on demand and
 * kept in a few preallocated buffers (least recently used goes first), so panning through a
 * zoomed-in view reads each block once and allocates nothing.
 */

/** Where blocks come from: fills `into` with samples `[start, start + rows)`, row-major. */
export type BlockReader = (start: number, rows: number, into: Float32Array) => void;

/** Samples per block: 32768 samples × 32 channels × 4 bytes = 4 MB. */
export const BLOCK_SAMPLES = 32_768;
/** Blocks kept (32 MB at 32 channels): enough for the widest detail view (1:64) of 5000 px. */
export const CACHED_BLOCKS = 8;

export class SampleCache {
  private readonly buffers: Float32Array[];
  /** Block index held by each buffer, or -1. */
  private readonly held: Int32Array;
  private readonly lastUse: Float64Array;
  private clock = 0;
  /** Blocks read from the session so far (for tests and measurements). */
  reads = 0;

  constructor(
    readonly length: number,
    readonly channels: number,
    private readonly reader: BlockReader,
    readonly blockSamples = BLOCK_SAMPLES,
    capacity = CACHED_BLOCKS,
  ) {
    const count = Math.max(1, Math.min(capacity, Math.ceil(length / blockSamples)));
    this.buffers = Array.from({ length: count }, () => new Float32Array(blockSamples * channels));
    this.held = new Int32Array(count).fill(-1);
    this.lastUse = new Float64Array(count);
  }

  /** Number of blocks of the session. */
  get blocks(): number {
    return Math.ceil(this.length / this.blockSamples);
  }

  /** Samples in block `index` (the last one may be short). */
  blockRows(index: number): number {
    return Math.min(this.blockSamples, this.length - index * this.blockSamples);
  }

  /**
   * Block `index`'s samples, row-major `(blockRows(index), channels)` from the block's first
   * sample: a view that stays valid until `capacity` other blocks have been asked for.
   */
  block(index: number): Float32Array {
    this.clock += 1;
    let oldest = 0;
    for (let i = 0; i < this.held.length; i++) {
      if (this.held[i] === index) {
        this.lastUse[i] = this.clock;
        return this.buffers[i] as Float32Array;
      }
      if ((this.lastUse[i] as number) < (this.lastUse[oldest] as number)) oldest = i;
    }
    if (!Number.isInteger(index) || index < 0 || index >= this.blocks) {
      throw new RangeError(`block ${index} is outside 0..${this.blocks - 1}`);
    }
    const buffer = this.buffers[oldest] as Float32Array;
    this.held[oldest] = -1;
    this.reader(index * this.blockSamples, this.blockRows(index), buffer);
    this.held[oldest] = index;
    this.lastUse[oldest] = this.clock;
    this.reads += 1;
    return buffer;
  }

  /** Puts samples the caller already has (e.g. while loading) into block `index`'s slot. */
  prime(index: number, data: Float32Array): void {
    if (this.held.includes(index)) return;
    const slot = this.held.indexOf(-1);
    if (slot < 0) return;
    (this.buffers[slot] as Float32Array).set(
      data.subarray(0, this.blockRows(index) * this.channels),
    );
    this.held[slot] = index;
    this.clock += 1;
    this.lastUse[slot] = this.clock;
  }
}
