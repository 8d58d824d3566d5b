import { parseFingerCsv } from "@emgkit/emg-io";
import { describe, expect, it } from "vitest";
import { simulateFingerCsv } from "../src/index";

describe("simulateFingerCsv", () => {
  const text = simulateFingerCsv({ seed: 3, repetitions: 2 });
  const recording = parseFingerCsv(text, "sim.csv");

  it("parses with emg-io: 8 channels, 200 Hz, seconds, every class present", () => {
    expect(text.split("\n")[0]).toBe("timestamp,ch1,ch2,ch3,ch4,ch5,ch6,ch7,ch8,label");
    expect(recording.sampleRateHz).toBe(200);
    expect(recording.timestampUnit).toBe("s");
    expect(new Set(recording.labels)).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    expect(recording.emg.every((v) => Number.isInteger(v) && v >= -128 && v <= 127)).toBe(true);
  });

  it("is deterministic from its seed", () => {
    expect(simulateFingerCsv({ seed: 3, repetitions: 2 })).toBe(text);
    expect(simulateFingerCsv({ seed: 4, repetitions: 2 })).not.toBe(text);
  });

  it("is stronger during movements than at rest, with a different pattern per finger", () => {
    const profiles = Array.from({ length: 6 }, () => ({ sum: new Float64Array(8), count: 0 }));
    recording.labels.forEach((label, t) => {
      const profile = profiles[label];
      if (profile === undefined) return;
      for (let c = 0; c < 8; c++)
        profile.sum[c] = (profile.sum[c] ?? 0) + (recording.emg[t * 8 + c] ?? 0) ** 2;
      profile.count++;
    });
    const rmsOf = (label: number) => {
      const p = profiles[label];
      return Array.from(p?.sum ?? [], (s) => Math.sqrt(s / (p?.count ?? 1)));
    };
    const rest = rmsOf(0);
    const unit = (v: number[]) => {
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    };
    for (let finger = 1; finger <= 5; finger++) {
      expect(Math.max(...rmsOf(finger))).toBeGreaterThan(4 * Math.max(...rest));
    }
    for (let a = 1; a <= 5; a++) {
      for (let b = a + 1; b <= 5; b++) {
        const ua = unit(rmsOf(a));
        const ub = unit(rmsOf(b));
        const cosine = ua.reduce((sum, x, i) => sum + x * (ub[i] ?? 0), 0);
        expect(cosine).toBeLessThan(0.99);
      }
    }
  });
});
