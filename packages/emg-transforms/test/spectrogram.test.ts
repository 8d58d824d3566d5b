import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { log10InPlace } from "../src/fast-log10.js";
import { logSpectrogram, spectrogramFrames } from "../src/spectrogram.js";
import { deterministicSignal } from "./deterministic-signal.js";

interface Golden {
  cases: Array<{
    frames: number;
    channels: number;
    nFft: number;
    hopLength: number;
    seed: number;
    shape: number[];
    step: number;
    values: number[];
  }>;
}

const golden = JSON.parse(
  readFileSync(new URL("./golden/spectrogram.json", import.meta.url), "utf8"),
) as Golden;

describe("logSpectrogram against torchaudio", () => {
  it.each(golden.cases)("nFft $nFft, hop $hopLength, $frames x $channels", (g) => {
    const spec = logSpectrogram(deterministicSignal(g.frames, g.channels, g.seed), g);
    expect([spec.frames, spec.channels, spec.freqs]).toEqual(g.shape);
    let maxDiff = 0;
    g.values.forEach((expected, i) => {
      maxDiff = Math.max(maxDiff, Math.abs((spec.data[i * g.step] as number) - expected));
    });
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
    expect(g.values.length).toBe(Math.ceil(spec.data.length / g.step));
  });

  it("gives no frames for a signal shorter than one window (torch raises there)", () => {
    const spec = logSpectrogram(deterministicSignal(63, 2, 1), { nFft: 64, hopLength: 16 });
    expect([spec.frames, spec.data.length]).toEqual([0, 0]);
    expect(spectrogramFrames(64, { nFft: 64, hopLength: 16 })).toBe(1);
    expect(spectrogramFrames(10_000, { nFft: 64, hopLength: 16 })).toBe(622);
  });

  it("rejects bad settings and mismatched buffers", () => {
    const signal = deterministicSignal(100, 2, 1);
    expect(() => logSpectrogram(signal, { nFft: 48, hopLength: 16 })).toThrow(/power of two/);
    expect(() => logSpectrogram(signal, { nFft: 64, hopLength: 0 })).toThrow(/hopLength/);
    expect(() => logSpectrogram({ ...signal, channels: 3 }, { nFft: 64, hopLength: 16 })).toThrow(
      /200 values for 100 frames x 3 channels/,
    );
  });
});

describe("log10InPlace", () => {
  it("matches Math.log10 to 1e-12 over many magnitudes, and handles edge values", () => {
    const values = Float64Array.from(
      { length: 20_000 },
      (_, i) => 10 ** ((i / 20_000) * 40 - 20) * (1 + (i % 7) / 10),
    );
    const expected = values.map(Math.log10);
    log10InPlace(values);
    let maxDiff = 0;
    values.forEach((v, i) => {
      maxDiff = Math.max(maxDiff, Math.abs(v - (expected[i] as number)));
    });
    expect(maxDiff).toBeLessThan(1e-12);
    const edges = Float64Array.from([0, -1, Number.NaN, Number.POSITIVE_INFINITY, 5e-324, 1]);
    log10InPlace(edges);
    expect([...edges]).toEqual([
      Number.NEGATIVE_INFINITY,
      Number.NaN,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Math.log10(5e-324),
      0,
    ]);
  });
});
