/**
 * Rows of emg2qwerty's `timeseries` compound dataset, 136 bytes each:
 *
 * | offset | size | member                         |
 * |--------|------|--------------------------------|
 * | 0      | 8    | `time`, <f8                    |
 * | 8      | 64   | `emg_left`, 16 × <f4 (band 0)  |
 * | 72     | 64   | `emg_right`, 16 × <f4 (band 1) |
 *
 * EMG of one sample is (band, channel) row-major, so a row is the time followed
 * by the sample's 32 floats in input order.
 */
import { CHANNELS_PER_BAND, NUM_BANDS } from "../session-types.js";
import type { CompoundMember } from "./datatypes.js";
import { IEEE_F32, IEEE_F64 } from "./datatypes.js";

export const ROW_SIZE = 8 + NUM_BANDS * CHANNELS_PER_BAND * 4;
const FLOATS_PER_SAMPLE = NUM_BANDS * CHANNELS_PER_BAND;
const BAND_BYTES = CHANNELS_PER_BAND * 4;

export const ROW_MEMBERS: readonly CompoundMember[] = [
  { name: "time", offset: 0, type: IEEE_F64 },
  { name: "emg_left", offset: 8, type: IEEE_F32, dims: [CHANNELS_PER_BAND] },
  { name: "emg_right", offset: 8 + BAND_BYTES, type: IEEE_F32, dims: [CHANNELS_PER_BAND] },
];

/**
 * Typed arrays use the platform's byte order and HDF5 here is little-endian;
 * every JavaScript engine in use runs little-endian, and this says so loudly if not.
 */
const PLATFORM_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Writes rows `[firstRow, firstRow + rowCount)` into `target`, which must start
 * 8-byte aligned in its buffer; bytes after the last row are left as they are.
 */
export function encodeRows(
  time: Float64Array,
  emg: Float32Array,
  firstRow: number,
  rowCount: number,
  target: Uint8Array,
): void {
  if (!PLATFORM_IS_LITTLE_ENDIAN) throw new Error("writing HDF5 needs a little-endian platform");
  const float64s = new Float64Array(target.buffer, target.byteOffset, (rowCount * ROW_SIZE) / 8);
  // EMG is copied as 32-bit words, not floats, so every bit pattern (NaN payloads too) survives.
  const words = new Uint32Array(target.buffer, target.byteOffset, (rowCount * ROW_SIZE) / 4);
  const emgWords = new Uint32Array(emg.buffer, emg.byteOffset, emg.length);
  const rowFloat64s = ROW_SIZE / 8;
  const rowWords = ROW_SIZE / 4;
  for (let row = 0; row < rowCount; row++) {
    const sample = firstRow + row;
    float64s[row * rowFloat64s] = time[sample] as number;
    const from = sample * FLOATS_PER_SAMPLE;
    const to = row * rowWords + 2;
    for (let k = 0; k < FLOATS_PER_SAMPLE; k++) words[to + k] = emgWords[from + k] as number;
  }
}
