import { describe, expect, it } from "vitest";
import { TimeMap } from "../src/session/time-map.js";

function filled(times: Float64Array, step = 64, chunk = 1000): TimeMap {
  const map = new TimeMap(times.length, step);
  for (let start = 0; start < times.length; start += chunk) {
    map.add(start, times.subarray(start, Math.min(times.length, start + chunk)));
  }
  return map;
}

describe("TimeMap", () => {
  it("maps samples to times and back on a steady 2 kHz clock", () => {
    const t0 = 1_620_000_000;
    const times = Float64Array.from({ length: 10_001 }, (_, i) => t0 + i / 2000);
    const map = filled(times);
    expect(map.startTime).toBe(t0);
    expect(map.endTime).toBe(t0 + 5);
    for (const s of [0, 1, 63, 64, 5000, 9999, 10_000]) {
      expect(map.timeAt(s)).toBeCloseTo(times[s] as number, 9);
      // Unix times in float64 resolve about 0.4 µs, a thousandth of a sample.
      expect(map.sampleAt(times[s] as number)).toBeCloseTo(s, 2);
    }
    expect(map.sampleAt(t0 + 1.00025)).toBeCloseTo(2000.5, 2);
    // Outside the session: extrapolated.
    expect(map.sampleAt(t0 - 1)).toBeCloseTo(-2000, 1);
    expect(map.sampleAt(t0 + 6)).toBeCloseTo(12_000, 1);
  });

  it("follows a clock with a gap to within a sample", () => {
    const times = Float64Array.from({ length: 4096 }, (_, i) =>
      i < 2000 ? i / 2000 : 2 + i / 2000,
    );
    const map = filled(times, 64, 700);
    for (const s of [0, 1000, 1999, 2048, 3000, 4095]) {
      expect(Math.abs(map.sampleAt(times[s] as number) - s)).toBeLessThanOrEqual(64);
    }
    expect(map.sampleAt(times[3000] as number)).toBeCloseTo(3000, 4);
    expect(map.timeAt(4095)).toBe(times[4095]);
  });

  it("extrapolates at the nominal rate past what has been read", () => {
    const map = new TimeMap(10_000, 64, 2000);
    expect(map.complete).toBe(false);
    map.add(
      0,
      Float64Array.from({ length: 1000 }, (_, i) => 100 + i / 1000),
    );
    expect(map.timeAt(500)).toBeCloseTo(100.5, 9);
    expect(map.sampleAt(100.5)).toBeCloseTo(500, 6);
    // The last knot read is sample 960 (time 100.96); beyond it, 2000 samples a second.
    expect(map.timeAt(2960)).toBeCloseTo(101.96, 9);
    expect(map.sampleAt(101.96)).toBeCloseTo(2960, 6);
    expect(map.endTime).toBeCloseTo(100.96 + 9039 / 2000, 9);
  });

  it("keeps every step-th time and the last", () => {
    expect(filled(new Float64Array(1)).endTime).toBe(0);
    const map = filled(
      Float64Array.from({ length: 130 }, (_, i) => i),
      64,
    );
    expect(map.timeAt(129)).toBe(129);
    expect(map.timeAt(128)).toBe(128);
  });
});
