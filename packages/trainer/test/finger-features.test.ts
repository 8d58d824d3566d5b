import { openSession } from "@emgkit/emg-io/node";
import { decimate, Random, selectElectrodes } from "@emgkit/emg-transforms";
import { describe, expect, it } from "vitest";
import { fingerFeatures, fitFingerFeatureStats } from "../src/finger/features.js";
import { fingerLikeSignal, PRETRAIN_ELECTRODES } from "../src/finger/pretrain-data.js";
import { drawWindows, sampleFingerBatch, stackTimeFirst } from "../src/finger/windows.js";
import { tinyDataset } from "./sim-fixture.js";

/** A (T, C) signal of seeded noise with a slow drift per channel. */
function noise(frames: number, channels: number, seed: number): Float32Array {
  const random = new Random(seed);
  return Float32Array.from({ length: frames * channels }, (_, i) => {
    const c = i % channels;
    return 3 * random.normal() + c - 2 + 0.01 * Math.floor(i / channels);
  });
}

describe("finger features", () => {
  it("are causal: changing samples from frame k on leaves frames before k unchanged", () => {
    const frames = 300;
    const emg = noise(frames, 8, 1);
    const stats = fitFingerFeatureStats([{ emg, frames }], 8, { envelopeSamples: 20 });
    const before = fingerFeatures({ emg, frames }, stats);
    const k = 150;
    const changed = emg.slice();
    for (let i = k * 8; i < changed.length; i++) changed[i] = 100 * Math.sin(i);
    const after = fingerFeatures({ emg: changed, frames }, stats);
    const F = 16;
    expect(Array.from(after.subarray(0, k * F))).toEqual(Array.from(before.subarray(0, k * F)));
    expect(after[k * F]).not.toBe(before[k * F]);
  });

  it("standardise the training data to mean 0 and deviation 1 per feature; test data reuses the statistics", () => {
    const frames = 500;
    const emg = noise(frames, 8, 2);
    const stats = fitFingerFeatureStats([{ emg, frames }]);
    expect(stats.featureMean).toHaveLength(16);
    const x = fingerFeatures({ emg, frames }, stats);
    for (let f = 0; f < 16; f++) {
      let sum = 0;
      let sumSq = 0;
      for (let t = 0; t < frames; t++) {
        const v = x[t * 16 + f] as number;
        sum += v;
        sumSq += v * v;
      }
      expect(sum / frames).toBeCloseTo(0, 4);
      expect(sumSq / frames).toBeCloseTo(1, 4);
    }
    // Another recording goes through the same affine maps, not its own statistics.
    const shifted = emg.map((v) => v + 10);
    const y = fingerFeatures({ emg: shifted, frames }, stats);
    expect(y[0]).toBeCloseTo((x[0] as number) + 10 / (stats.featureStd[0] as number), 4);
  });

  it("append the causal rectified moving average of the centred channels", () => {
    // One channel: 1, -3, 5, -7 with mean -1; centred 2, -2, 6, -6; window 2.
    const emg = Float32Array.of(1, -3, 5, -7);
    const stats = fitFingerFeatureStats([{ emg, frames: 4 }], 1, { envelopeSamples: 2 });
    expect(stats.channelMean).toEqual([-1]);
    const raw = fingerFeatures(
      { emg, frames: 4 },
      { ...stats, featureMean: [0, 0], featureStd: [1, 1] },
    );
    expect(Array.from(raw)).toEqual([2, 2, -2, 2, 6, 4, -6, 6]);
    const plain = fitFingerFeatureStats([{ emg, frames: 4 }], 1, { envelopeSamples: 0 });
    expect(plain.featureMean).toHaveLength(1);
  });

  it("windows: every start equally likely, stacked time first with their labels", () => {
    const places = drawWindows([5, 2, 7], 3, 2000, new Random(4));
    // Starts: 3 in signal 0, none in signal 1 (shorter than a window), 5 in signal 2.
    const counts = new Map<string, number>();
    for (const { signal, start } of places) {
      counts.set(`${signal}:${start}`, (counts.get(`${signal}:${start}`) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([
      "0:0",
      "0:1",
      "0:2",
      "2:0",
      "2:1",
      "2:2",
      "2:3",
      "2:4",
    ]);
    for (const n of counts.values()) expect(n).toBeGreaterThan(150);
    expect(() => drawWindows([2], 3, 1, new Random(0))).toThrow(/as long as a window of 3/);

    const a = Float32Array.of(1, 2, 3, 4); // (2, 2)
    const b = Float32Array.of(5, 6, 7, 8);
    expect(Array.from(stackTimeFirst([a, b], 2, 2))).toEqual([1, 2, 5, 6, 3, 4, 7, 8]);

    const signal = {
      features: Float32Array.from({ length: 10 }, (_, i) => i), // (10, 1)
      labels: Uint8Array.from({ length: 10 }, (_, i) => i % 6),
      frames: 10,
    };
    const batch = sampleFingerBatch([signal], 4, 3, new Random(9));
    expect(batch.shape).toEqual([4, 3, 1]);
    for (let n = 0; n < 3; n++) {
      const start = batch.inputs[n] as number;
      for (let t = 0; t < 4; t++) {
        expect(batch.inputs[t * 3 + n]).toBe(start + t);
        expect(batch.labels[t * 3 + n]).toBe((start + t) % 6);
      }
    }
  });
});

describe("finger-like typing sessions", () => {
  it("keep 4 spread electrodes per band and decimate to 200 Hz, chunked reading equal to one pass", async () => {
    const data = await tinyDataset();
    const session = await openSession((data.sessions[0] as { path: string }).path);
    try {
      expect(PRETRAIN_ELECTRODES).toEqual([0, 4, 8, 12]);
      const chunked = fingerLikeSignal(session, { chunkSamples: 7_000 });
      const whole = session.read(0, session.length);
      const expected = decimate(selectElectrodes(whole.emg, [0, 4, 8, 12]), 8, 10);
      expect(chunked.frames).toBe(Math.ceil(session.length / 10));
      expect(chunked.frames).toBe(expected.frames);
      expect(Array.from(chunked.emg)).toEqual(Array.from(expected.data));
      expect(chunked.time[3]).toBe(whole.time[30]);
    } finally {
      session.close();
    }
  });
});
