import { describe, expect, it } from "vitest";
import { linearTicks, logTicks } from "../src/report/nice-ticks.js";

/** A small deterministic generator, so the property checks below are reproducible. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe("linearTicks", () => {
  it("picks 1/2/2.5/5 x 10^k steps", () => {
    expect(linearTicks(0, 1).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(0, 1).labels).toEqual(["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
    expect(linearTicks(0, 100, { count: 5 }).values).toEqual([0, 25, 50, 75, 100]);
    expect(linearTicks(13, 87).values).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it("has no float noise in values or labels", () => {
    const ticks = linearTicks(0.1, 0.3);
    expect(ticks.values).toEqual([0.1, 0.15, 0.2, 0.25, 0.3]);
    expect(ticks.labels).toEqual(["0.10", "0.15", "0.20", "0.25", "0.30"]);
    expect(linearTicks(-0.3, 0.1).labels).toContain("0.0");
    expect(linearTicks(-0.3, 0.1).labels).not.toContain("-0.0");
  });

  it("covers any range with evenly spaced nice ticks", () => {
    const random = lcg(7);
    for (let trial = 0; trial < 500; trial++) {
      const scale = 10 ** Math.floor(random() * 12 - 6);
      const a = (random() - 0.5) * 100 * scale;
      const b = a + random() * 100 * scale;
      const { values, domain } = linearTicks(a, b);
      expect(domain[0]).toBeLessThanOrEqual(a);
      expect(domain[1]).toBeGreaterThanOrEqual(b);
      expect(values.length).toBeGreaterThanOrEqual(2);
      expect(values.length).toBeLessThanOrEqual(12);
      const step = (values[1] ?? 0) - (values[0] ?? 0);
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      expect([1, 2, 2.5, 5].some((m) => Math.abs(mantissa - m) < 1e-6)).toBe(true);
      for (let i = 1; i < values.length; i++) {
        expect((values[i] ?? 0) - (values[i - 1] ?? 0)).toBeCloseTo(step, 9);
      }
    }
  });

  it("keeps whole-number steps for integer axes", () => {
    expect(linearTicks(0, 2, { integer: true }).values).toEqual([0, 1, 2]);
    expect(linearTicks(1, 3, { integer: true }).labels).toEqual(["1", "2", "3"]);
    for (const v of linearTicks(0, 7, { integer: true, count: 5 }).values) {
      expect(Number.isInteger(v)).toBe(true);
    }
  });

  it("widens a zero-width range and survives non-finite input", () => {
    const single = linearTicks(5, 5);
    expect(single.domain[0]).toBeLessThan(5);
    expect(single.domain[1]).toBeGreaterThan(5);
    expect(linearTicks(0, 0).domain).toEqual([-1, 1]);
    expect(linearTicks(Number.NaN, 3).domain).toEqual([0, 1]);
    expect(linearTicks(3, 1).domain).toEqual(linearTicks(1, 3).domain);
  });

  it("uses exponent labels for very large and very small values", () => {
    expect(linearTicks(0, 2e6).labels).toEqual(["0e0", "5e5", "1e6", "1.5e6", "2e6"]);
    expect(linearTicks(1e-6, 3e-6).labels.at(-1)).toBe("3e-6");
  });
});

describe("logTicks", () => {
  it("uses 1/2/5 ticks over a few decades, in one notation", () => {
    const ticks = logTicks(1.5e-5, 1e-3);
    expect(ticks.values).toEqual([1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3]);
    expect(ticks.labels).toEqual(["1e-5", "2e-5", "5e-5", "1e-4", "2e-4", "5e-4", "1e-3"]);
    expect(logTicks(0.02, 3).labels).toEqual(["0.02", "0.05", "0.1", "0.2", "0.5", "1", "2", "5"]);
  });

  it("tightens a narrow range to every integer multiple", () => {
    expect(logTicks(2.5e-4, 7e-4).values).toEqual([2e-4, 3e-4, 4e-4, 5e-4, 6e-4, 7e-4]);
    expect(logTicks(0.3, 1).domain).toEqual([0.3, 1]);
  });

  it("thins wide ranges to about ten powers of ten that still cover the data", () => {
    const ticks = logTicks(3e-9, 2e8);
    expect(ticks.values.length).toBeLessThanOrEqual(11);
    expect(ticks.domain[0]).toBeLessThanOrEqual(3e-9);
    expect(ticks.domain[1]).toBeGreaterThanOrEqual(2e8);
  });

  it("covers random positive ranges", () => {
    const random = lcg(11);
    for (let trial = 0; trial < 300; trial++) {
      const a = 10 ** (random() * 16 - 8);
      const b = a * 10 ** (random() * 6);
      const { values, domain } = logTicks(a, b);
      expect(domain[0]).toBeLessThanOrEqual(a);
      expect(domain[1]).toBeGreaterThanOrEqual(b);
      expect(values.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < values.length; i++) {
        expect(values[i]).toBeGreaterThan(values[i - 1] ?? 0);
      }
    }
  });

  it("falls back to one decade without positive data, centres a single value", () => {
    expect(logTicks(0, 5).domain).toEqual([1, 10]);
    expect(logTicks(-1, Number.NaN).domain).toEqual([1, 10]);
    expect(logTicks(1e-3, 1e-3).values).toEqual([5e-4, 1e-3, 2e-3]);
  });
});
