import { describe, expect, it } from "vitest";
import {
  decimate,
  designDecimationFilter,
  hopForRate,
  nFftForRate,
  resampleEmg,
  spectrogramParamsForRate,
} from "../src/resample.js";

const FACTORS = [2, 4, 8, 16];

function tone(frequency: number, frames: number, phase = 0.3): Float32Array {
  return Float32Array.from({ length: frames }, (_, t) =>
    Math.sin((2 * Math.PI * frequency * t) / 2000 + phase),
  );
}

/** Mean square of a one-channel signal away from the edges the filter reaches. */
function interiorPower(signal: Float32Array, edge: number): number {
  let sum = 0;
  for (let i = edge; i < signal.length - edge; i++) sum += (signal[i] as number) ** 2;
  return sum / (signal.length - 2 * edge);
}

function magnitudeResponse(taps: Float64Array, cyclesPerSample: number): number {
  let re = 0;
  let im = 0;
  taps.forEach((tap, n) => {
    re += tap * Math.cos(2 * Math.PI * cyclesPerSample * n);
    im -= tap * Math.sin(2 * Math.PI * cyclesPerSample * n);
  });
  return Math.hypot(re, im);
}

describe("designDecimationFilter", () => {
  it.each(FACTORS)(
    "factor %i: odd, symmetric, DC gain 1, >= 55 dB down from the new Nyquist on",
    (factor) => {
      const taps = designDecimationFilter(factor);
      expect(taps.length % 2).toBe(1);
      for (let n = 0; n < taps.length; n++) {
        expect(taps[n]).toBeCloseTo(taps[taps.length - 1 - n] as number, 15);
      }
      expect(taps.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      for (let f = 0.5 / factor; f <= 0.5; f += 0.001 / factor) {
        expect(20 * Math.log10(magnitudeResponse(taps, f))).toBeLessThan(-55);
      }
      for (let f = 0; f <= 0.4 / factor; f += 0.001 / factor) {
        expect(Math.abs(20 * Math.log10(magnitudeResponse(taps, f)))).toBeLessThan(0.02);
      }
    },
  );
});

describe("resampleEmg", () => {
  it.each(FACTORS)(
    "factor %i: tones above the new Nyquist alias >= 40 dB below a passband tone",
    (factor) => {
      const newRate = 2000 / factor;
      const frames = 8000;
      const edge = Math.ceil(designDecimationFilter(factor).length / factor);
      const outputPower = (frequency: number) =>
        interiorPower(
          resampleEmg(tone(frequency, frames), { toRate: newRate, channels: 1 }).emg,
          edge,
        );
      const passband = outputPower(0.2 * newRate);
      // From just above the new Nyquist to just below the input Nyquist.
      for (let frequency = 0.501 * newRate; frequency < 995; frequency += newRate / 37) {
        const suppressionDb = 10 * Math.log10(passband / outputPower(frequency));
        expect(suppressionDb, `${frequency.toFixed(1)} Hz`).toBeGreaterThanOrEqual(40);
      }
    },
  );

  it.each(FACTORS)(
    "factor %i: passband tones keep amplitude and phase on the time axis",
    (factor) => {
      const newRate = 2000 / factor;
      const frames = 6000;
      const edge = Math.ceil(designDecimationFilter(factor).length / factor);
      for (const fraction of [0.02, 0.1, 0.25, 0.4]) {
        const frequency = fraction * newRate;
        const { emg } = resampleEmg(tone(frequency, frames), { toRate: newRate, channels: 1 });
        for (let m = edge; m < emg.length - edge; m++) {
          // Output m is input m * factor: same phase, amplitude within 0.03 dB (0.35%).
          const expected = Math.sin((2 * Math.PI * frequency * m * factor) / 2000 + 0.3);
          expect(Math.abs((emg[m] as number) - expected)).toBeLessThan(0.0035);
        }
      }
    },
  );

  it("keeps every factor-th timestamp and ceil(T / factor) frames, channels apart", () => {
    const frames = 1001;
    const time = Float64Array.from({ length: frames }, (_, t) => 1_700_000_000 + t / 2000);
    const emg = new Float32Array(frames * 32);
    for (let t = 0; t < frames; t++) for (let c = 0; c < 32; c++) emg[t * 32 + c] = c - 10;
    const out = resampleEmg(emg, { toRate: 250, time });
    expect(out.frames).toBe(126);
    expect(out.rate).toBe(250);
    expect(out.time).toEqual(Float64Array.from({ length: 126 }, (_, m) => time[m * 8] as number));
    // Constant channels stay constant up to the edges (reflection, DC gain 1).
    for (let m = 0; m < out.frames; m++) {
      for (let c = 0; c < 32; c++) expect(out.emg[m * 32 + c]).toBeCloseTo(c - 10, 4);
    }
  });

  it("is the identity at the same rate and handles windows shorter than the filter", () => {
    const emg = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i));
    expect(resampleEmg(emg, { toRate: 2000 }).emg).toEqual(emg);
    const short = decimate(Float32Array.of(1, 1, 1), 1, 16);
    expect(short.frames).toBe(1);
    expect(short.data[0]).toBeCloseTo(1, 5);
    expect(decimate(new Float32Array(0), 32, 4).frames).toBe(0);
  });

  it("rejects rates that do not divide the input rate and mismatched timestamps", () => {
    expect(() => resampleEmg(new Float32Array(32), { toRate: 300 })).toThrow(RangeError);
    expect(() =>
      resampleEmg(new Float32Array(64), { toRate: 1000, time: new Float64Array(3) }),
    ).toThrow(RangeError);
  });
});

describe("spectrogram parameters per rate", () => {
  it("keeps the 125 Hz frame rate and the 32 ms window (n_fft >= 8)", () => {
    const table = [2000, 1000, 500, 250, 125].map((rate) => [
      rate,
      hopForRate(rate),
      nFftForRate(rate),
    ]);
    expect(table).toEqual([
      [2000, 16, 64],
      [1000, 8, 32],
      [500, 4, 16],
      [250, 2, 8],
      [125, 1, 8],
    ]);
    expect(spectrogramParamsForRate(500)).toEqual({ nFft: 16, hopLength: 4 });
    expect(() => hopForRate(300)).toThrow(RangeError);
  });
});
