import { describe, expect, it } from "vitest";
import { addGaussianNoise, randomChannelGain } from "../src/gain-noise.js";
import { Random } from "../src/random.js";

const CHANNELS = 32;

function sineWindow(frames: number): Float32Array {
  const emg = new Float32Array(frames * CHANNELS);
  for (let t = 0; t < frames; t++) {
    for (let c = 0; c < CHANNELS; c++) {
      emg[t * CHANNELS + c] = (1 + c) * Math.sin((2 * Math.PI * (50 + c) * t) / 2000);
    }
  }
  return emg;
}

describe("randomChannelGain", () => {
  it("scales each channel by its own gain within the range", () => {
    const emg = sineWindow(100);
    const { emg: scaled, gains } = randomChannelGain(
      emg,
      { minGain: 0.5, maxGain: 2 },
      new Random(1),
    );
    expect(gains).toHaveLength(CHANNELS);
    for (let i = 0; i < emg.length; i++) {
      expect(scaled[i]).toBeCloseTo((emg[i] as number) * (gains[i % CHANNELS] as number), 5);
    }
  });

  it("is log-uniform: log gains uniform, median 1 for a range symmetric around 1", () => {
    const random = new Random(2);
    const logs: number[] = [];
    for (let call = 0; call < 300; call++) {
      const { gains } = randomChannelGain(
        new Float32Array(CHANNELS),
        { minGain: 0.5, maxGain: 2 },
        random,
      );
      for (const gain of gains) {
        expect(gain).toBeGreaterThanOrEqual(0.5);
        expect(gain).toBeLessThan(2);
        logs.push(Math.log2(gain));
      }
    }
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const variance = logs.reduce((a, b) => a + (b - mean) ** 2, 0) / logs.length;
    expect(Math.abs(mean)).toBeLessThan(0.02); // uniform on [-1, 1]: mean 0
    expect(variance).toBeCloseTo(1 / 3, 1); // variance of uniform [-1, 1]
    const belowOne = logs.filter((value) => value < 0).length / logs.length;
    expect(belowOne).toBeCloseTo(0.5, 1);
  });

  it("rejects a non-positive or inverted range", () => {
    const emg = new Float32Array(CHANNELS);
    expect(() => randomChannelGain(emg, { minGain: 0, maxGain: 2 }, new Random(1))).toThrow();
    expect(() => randomChannelGain(emg, { minGain: 2, maxGain: 1 }, new Random(1))).toThrow();
  });
});

describe("addGaussianNoise", () => {
  it("adds zero-mean noise of the given std", () => {
    const emg = new Float32Array(20000 * CHANNELS);
    const { emg: noisy, std } = addGaussianNoise(emg, { std: 3 }, new Random(3));
    expect(Array.from(std)).toEqual(new Array(CHANNELS).fill(3));
    let sum = 0;
    let sumSquares = 0;
    for (const value of noisy) {
      sum += value;
      sumSquares += value * value;
    }
    const mean = sum / noisy.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.sqrt(sumSquares / noisy.length - mean * mean)).toBeCloseTo(3, 1);
  });

  it("reaches the requested SNR on every channel", () => {
    const emg = sineWindow(8000);
    const { emg: noisy } = addGaussianNoise(emg, { snrDb: 10 }, new Random(4));
    for (let c = 0; c < CHANNELS; c++) {
      let signalPower = 0;
      let noisePower = 0;
      for (let t = 0; t < 8000; t++) {
        const clean = emg[t * CHANNELS + c] as number;
        signalPower += clean * clean;
        noisePower += ((noisy[t * CHANNELS + c] as number) - clean) ** 2;
      }
      const snr = 10 * Math.log10(signalPower / noisePower);
      expect(Math.abs(snr - 10)).toBeLessThan(0.25);
    }
  });

  it("is reproducible from a seed", () => {
    const emg = sineWindow(50);
    expect(addGaussianNoise(emg, { snrDb: 5 }, new Random(9))).toEqual(
      addGaussianNoise(emg, { snrDb: 5 }, new Random(9)),
    );
  });
});
