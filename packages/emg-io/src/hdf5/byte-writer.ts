/**
 * A growable little-endian byte buffer for HDF5 metadata (superblock, object
 * headers, heaps, B-tree nodes). HDF5 stores every multi-byte field
 * little-endian in the layouts this writer produces; "offsets" and "lengths"
 * are 8 bytes wide (the superblock says so).
 */

/** The all-ones address HDF5 uses for "no such object". */
export const UNDEFINED_ADDRESS = 0xffff_ffff_ffff_ffffn;

/** Rounds `size` up to the next multiple of 8, HDF5's alignment for version-1 structures. */
export function alignTo8(size: number): number {
  return Math.ceil(size / 8) * 8;
}

export class ByteWriter {
  private bytes = new Uint8Array(256);
  private view = new DataView(this.bytes.buffer);
  private length = 0;

  /** Bytes written so far. */
  get position(): number {
    return this.length;
  }

  u8(value: number): this {
    this.reserve(1).setUint8(this.length - 1, value);
    return this;
  }

  u16(value: number): this {
    this.reserve(2).setUint16(this.length - 2, value, true);
    return this;
  }

  u32(value: number): this {
    this.reserve(4).setUint32(this.length - 4, value, true);
    return this;
  }

  /** An 8-byte unsigned field: a file address, a length or a size. */
  u64(value: number | bigint): this {
    this.reserve(8).setBigUint64(this.length - 8, BigInt(value), true);
    return this;
  }

  f64(value: number): this {
    this.reserve(8).setFloat64(this.length - 8, value, true);
    return this;
  }

  raw(data: Uint8Array): this {
    this.reserve(data.length);
    this.bytes.set(data, this.length - data.length);
    return this;
  }

  /** ASCII text without a terminator (signatures). */
  ascii(text: string): this {
    for (let i = 0; i < text.length; i++) this.u8(text.charCodeAt(i));
    return this;
  }

  zeros(count: number): this {
    this.reserve(count); // fresh capacity is already zero-filled
    return this;
  }

  /** Zero-pads up to the next multiple of 8 bytes. */
  padTo8(): this {
    return this.zeros(alignTo8(this.length) - this.length);
  }

  /** A copy of the bytes written. */
  toBytes(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  /** Advances the length by `count` bytes, growing the buffer when needed, and returns the view. */
  private reserve(count: number): DataView {
    const needed = this.length + count;
    if (needed > this.bytes.length) {
      const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    this.length = needed;
    return this.view;
  }
}
