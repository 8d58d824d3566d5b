import { describe, expect, it } from "vitest";
import { Envelope } from "../src/session/envelope.js";
import { MinMaxPyramid } from "../src/session/pyramid.js";
import { SampleCache } from "../src/session/sample-cache.js";

const CHANNELS = 4;
const LENGTH = 50_000;
const data = Float32Array.from(
  { length: LENGTH * CHANNELS },
  (_, i) => Math.sin(i * 0.0137) * (1 + (i % CHANNELS)) + ((i * 7919) % 13) / 13,
);

function cache(blockSamples = 4096, capacity = 3): SampleCache {
  return new SampleCache(
    LENGTH,
    CHANNELS,
    (start, rows, into) => into.set(data.subarray(start * CHANNELS, (start + rows) * CHANNELS)),
    blockSamples,
    capacity,
  );
}

describe("Envelope.fromSamples", () => {
  for (const range of [
    { start: 0, end: 1000 },
    { start: 1234, end: 20_000 },
    { start: 3000, end: 3100 },
    { start: LENGTH - 7777, end: LENGTH },
  ]) {
    it(`equals a brute-force min/max per pixel column (${range.start}..${range.end})`, () => {
      const columns = 300;
      const envelope = new Envelope(CHANNELS);
      envelope.fromSamples(cache(), range, columns);
      const spp = (range.end - range.start) / columns;
      for (let c = 0; c < CHANNELS; c++) {
        const lo = new Float32Array(columns).fill(Number.POSITIVE_INFINITY);
        const hi = new Float32Array(columns).fill(Number.NEGATIVE_INFINITY);
        for (let s = range.start; s < range.end; s++) {
          const x = Math.min(columns - 1, Math.floor((s - range.start) / spp));
          const v = data[s * CHANNELS + c] as number;
          lo[x] = Math.min(lo[x] as number, v);
          hi[x] = Math.max(hi[x] as number, v);
        }
        expect(Array.from(envelope.min.subarray(c * columns, (c + 1) * columns))).toEqual(
          Array.from(lo),
        );
        expect(Array.from(envelope.max.subarray(c * columns, (c + 1) * columns))).toEqual(
          Array.from(hi),
        );
      }
    });
  }

  it("reads each block of a range once, and again only after eviction", () => {
    const c = cache(4096, 3);
    const envelope = new Envelope(CHANNELS);
    envelope.fromSamples(c, { start: 0, end: 12_000 }, 100);
    expect(c.reads).toBe(3);
    envelope.fromSamples(c, { start: 100, end: 12_100 }, 100);
    expect(c.reads).toBe(3);
    envelope.fromSamples(c, { start: 4096, end: 16_000 }, 100);
    expect(c.reads).toBe(4);
  });
});

describe("Envelope.fromLevel", () => {
  it("bounds the samples of each column (it is made of whole buckets)", () => {
    const pyramid = new MinMaxPyramid(LENGTH, CHANNELS, [64, 1024]);
    pyramid.add(data, LENGTH);
    pyramid.finish();
    const range = { start: 640, end: 640 + 64 * 500 };
    const columns = 250;
    const envelope = new Envelope(CHANNELS);
    envelope.fromLevel(pyramid.levels[0] as never, range, columns);
    const exact = new Envelope(CHANNELS);
    exact.fromSamples(cache(), range, columns);
    // Columns here are exactly two buckets wide, so the envelopes agree.
    expect(Array.from(envelope.min.subarray(0, columns * CHANNELS))).toEqual(
      Array.from(exact.min.subarray(0, columns * CHANNELS)),
    );
    expect(Array.from(envelope.max.subarray(0, columns * CHANNELS))).toEqual(
      Array.from(exact.max.subarray(0, columns * CHANNELS)),
    );
  });
});
