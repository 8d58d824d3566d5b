import { describe, expect, it } from "vitest";
import { deinterleaveRows } from "../src/wasm/deinterleaver.js";

/** Rows of random bits (NaN payloads included) in a layout with padding and shuffled fields. */
function randomRows(count: number, rowBytes: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(count * rowBytes);
  let state = seed;
  for (let i = 0; i < bytes.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

describe("deinterleaveRows", () => {
  // emg2qwerty's order, h5py's reordered fixture, and a padded layout with odd offsets.
  const layouts = [
    { rowBytes: 136, offsets: { time: 0, emg_left: 8, emg_right: 72 } },
    { rowBytes: 136, offsets: { emg_right: 0, time: 64, emg_left: 72 } },
    { rowBytes: 150, offsets: { emg_left: 3, time: 70, emg_right: 82 } },
  ];
  it.each(layouts)("copies every bit of time and both bands (%j)", ({ rowBytes, offsets }) => {
    const count = 777;
    const rows = randomRows(count, rowBytes, rowBytes + offsets.time);
    const { time, emg } = deinterleaveRows(rows, count, rowBytes, offsets);
    const timeBytes = new Uint8Array(time.buffer, time.byteOffset, time.byteLength);
    const emgBytes = new Uint8Array(emg.buffer, emg.byteOffset, emg.byteLength);
    for (let r = 0; r < count; r++) {
      const row = rows.subarray(r * rowBytes, (r + 1) * rowBytes);
      expect(timeBytes.subarray(r * 8, r * 8 + 8)).toEqual(
        row.subarray(offsets.time, offsets.time + 8),
      );
      expect(emgBytes.subarray(r * 128, r * 128 + 64)).toEqual(
        row.subarray(offsets.emg_left, offsets.emg_left + 64),
      );
      expect(emgBytes.subarray(r * 128 + 64, r * 128 + 128)).toEqual(
        row.subarray(offsets.emg_right, offsets.emg_right + 64),
      );
    }
    expect(emg.some(Number.isNaN)).toBe(true); // random bits do hold NaNs, and they came through
  });

  it("fills given arrays, and grows its memory for large windows", () => {
    const offsets = { time: 0, emg_left: 8, emg_right: 72 };
    const big = randomRows(20_000, 136, 5);
    const fresh = deinterleaveRows(big, 20_000, 136, offsets);
    const into = { time: new Float64Array(20_000), emg: new Float32Array(20_000 * 32) };
    expect(deinterleaveRows(big, 20_000, 136, offsets, into)).toBe(into);
    expect(new Uint8Array(into.emg.buffer)).toEqual(new Uint8Array(fresh.emg.buffer));
    expect(new Uint8Array(into.time.buffer)).toEqual(new Uint8Array(fresh.time.buffer));
  });
});
