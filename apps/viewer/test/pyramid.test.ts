import { describe, expect, it } from "vitest";
import { MinMaxPyramid } from "../src/session/pyramid.js";
import { simdMinMaxAvailable } from "../src/wasm/minmax.js";

/** Deterministic pseudo-random samples, row-major (length, channels), with a few NaNs. */
function signal(length: number, channels: number, seed = 1): Float32Array {
  const out = new Float32Array(length * channels);
  let state = seed;
  for (let i = 0; i < out.length; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    out[i] = (state / 2 ** 31 - 0.5) * 200 * (1 + (i % channels));
  }
  out[5 * channels + 3] = Number.NaN;
  return out;
}

/** min/max of samples [start, end) of one channel, NaN skipped. */
function bruteForce(data: Float32Array, channels: number, c: number, start: number, end: number) {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let s = start; s < end; s++) {
    const v = data[s * channels + c] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return { lo, hi };
}

function build(data: Float32Array, length: number, channels: number, chunk: number, simd: boolean) {
  const pyramid = new MinMaxPyramid(length, channels, [64, 1024, 16384], simd);
  for (let start = 0; start < length; start += chunk) {
    const rows = Math.min(chunk, length - start);
    pyramid.add(data.subarray(start * channels, (start + rows) * channels), rows);
  }
  pyramid.finish();
  return pyramid;
}

describe("MinMaxPyramid", () => {
  const channels = 32;
  const length = 40_000; // not a multiple of any factor
  const data = signal(length, channels);

  for (const [label, chunk, simd] of [
    ["JavaScript, chunks of 65536", 65_536, false],
    ["JavaScript, chunks not aligned to buckets (1000)", 1000, false],
    ["SIMD, chunks of 4096", 4096, true],
    ["SIMD then JavaScript (chunks of 4000)", 4000, true],
  ] as const) {
    it(`every bucket of every level equals a brute-force min/max (${label})`, () => {
      const pyramid = build(data, length, channels, chunk, simd);
      for (const level of pyramid.levels) {
        expect(level.buckets).toBe(Math.ceil(length / level.factor));
        const min = new Float32Array(level.buckets * channels);
        const max = new Float32Array(level.buckets * channels);
        for (let c = 0; c < channels; c++) {
          for (let b = 0; b < level.buckets; b++) {
            const end = Math.min(length, (b + 1) * level.factor);
            const { lo, hi } = bruteForce(data, channels, c, b * level.factor, end);
            min[c * level.buckets + b] = lo;
            max[c * level.buckets + b] = hi;
          }
        }
        expect(level.min).toEqual(min);
        expect(level.max).toEqual(max);
      }
    });
  }

  it("runs the SIMD kernel here (Node has WebAssembly SIMD)", () => {
    expect(simdMinMaxAvailable()).toBe(true);
  });

  it("handles other channel counts and a bucket of NaN only", () => {
    const data3 = new Float32Array(100 * 3).fill(Number.NaN);
    data3[70 * 3 + 1] = 5;
    const pyramid = build(data3, 100, 3, 30, true);
    const level = pyramid.levels[0];
    expect(level?.min[0]).toBe(Number.POSITIVE_INFINITY);
    expect(level?.max[0]).toBe(Number.NEGATIVE_INFINITY);
    expect(level?.min[1 * 2 + 1]).toBe(5);
    expect(level?.max[1 * 2 + 1]).toBe(5);
  });

  it("chooses the coarsest level no wider than a pixel, or none", () => {
    const pyramid = new MinMaxPyramid(2_400_000, 32);
    expect(pyramid.levelFor(0.5)).toBeNull();
    expect(pyramid.levelFor(63.9)).toBeNull();
    expect(pyramid.levelFor(64)?.factor).toBe(64);
    expect(pyramid.levelFor(1023)?.factor).toBe(64);
    expect(pyramid.levelFor(1024)?.factor).toBe(1024);
    expect(pyramid.levelFor(2_400_000 / 1300)?.factor).toBe(1024);
    expect(pyramid.levelFor(1e9)?.factor).toBe(16384);
  });

  it("keeps a 20-minute session in about 10 MB", () => {
    const pyramid = new MinMaxPyramid(2_400_000, 32);
    expect(pyramid.bytes).toBeLessThan(11e6);
  });

  it("refuses factors that do not divide each other, and overflow", () => {
    expect(() => new MinMaxPyramid(10, 1, [64, 1000])).toThrow(/multiples/);
    const pyramid = new MinMaxPyramid(10, 1);
    expect(() => pyramid.add(new Float32Array(11), 11)).toThrow(/overflows/);
  });
});
