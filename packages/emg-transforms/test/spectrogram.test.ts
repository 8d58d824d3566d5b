import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Signal } from "../src/signal.js";
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

/** log10(|DFT|^2 / sum w^2 + 1e-6) of one frame by the O(N^2) definition, in float64. */
function referenceFrame(signal: Signal, channel: number, start: number, nFft: number): number[] {
  const window = Array.from(
    { length: nFft },
    (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / nFft),
  );
  const norm = window.reduce((sum, w) => sum + w * w, 0);
  return Array.from({ length: nFft / 2 + 1 }, (_, k) => {
    let re = 0;
    let im = 0;
    for (let n = 0; n < nFft; n++) {
      const x =
        (signal.data[(start + n) * signal.channels + channel] as number) * (window[n] as number);
      re += x * Math.cos((2 * Math.PI * k * n) / nFft);
      im -= x * Math.sin((2 * Math.PI * k * n) / nFft);
    }
    return Math.log10((re * re + im * im) / norm + 1e-6);
  });
}

describe("the wasm kernel against the DFT's definition", () => {
  it.each([
    [64, 16, 32],
    [32, 7, 5],
    [8, 3, 1],
  ])(
    "nFft %i, hop %i, %i channels: equal within float32 FFT rounding",
    (nFft, hopLength, channels) => {
      const signal = deterministicSignal(400, channels, nFft + channels);
      const spec = logSpectrogram(signal, { nFft, hopLength });
      const freqs = nFft / 2 + 1;
      let maxDiff = 0;
      for (const frame of [0, 1, Math.floor(spec.frames / 2), spec.frames - 1]) {
        for (let c = 0; c < channels; c++) {
          referenceFrame(signal, c, frame * hopLength, nFft).forEach((expected, k) => {
            const got = spec.data[(frame * channels + c) * freqs + k] as number;
            maxDiff = Math.max(maxDiff, Math.abs(got - expected));
          });
        }
      }
      // The FFT runs in float32, as torch's does: a few float32 steps on the log scale.
      expect(maxDiff).toBeLessThan(1e-5);
    },
  );

  it("keeps a NaN sample's frames NaN in its own channel only", () => {
    const signal = deterministicSignal(200, 4, 3);
    signal.data[5] = Number.NaN; // sample 1, channel 1 (paired with channel 0 in the kernel)
    const spec = logSpectrogram(signal, { nFft: 64, hopLength: 16 });
    const clean = logSpectrogram(deterministicSignal(200, 4, 3), { nFft: 64, hopLength: 16 });
    const frame0 = (c: number) => [...spec.data.subarray(c * 33, (c + 1) * 33)];
    expect(frame0(1).every(Number.isNaN)).toBe(true);
    expect(spec.data.subarray(4 * 33).some(Number.isNaN)).toBe(false); // frame 1 starts after sample 1
    // Channel 0 keeps finite values, within float32 FFT rounding of the paired result.
    frame0(0).forEach((v, k) => {
      expect(Math.abs(v - (clean.data[k] as number))).toBeLessThan(1e-5);
    });
  });

  it("computes whole sessions in blocks, frame by frame as a shorter signal would", () => {
    const signal = deterministicSignal(70_000, 2, 3);
    const spec = logSpectrogram(signal, { nFft: 64, hopLength: 16 });
    expect(spec.frames).toBe(4372); // more than one 4096-frame kernel block
    const tail = logSpectrogram(
      { data: signal.data.subarray(4200 * 16 * 2), frames: 70_000 - 4200 * 16, channels: 2 },
      { nFft: 64, hopLength: 16 },
    );
    expect(spec.data.subarray(4200 * 2 * 33)).toEqual(tail.data);
  });
});
