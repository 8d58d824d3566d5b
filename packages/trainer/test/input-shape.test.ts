import { openSession, type Session } from "@emgkit/emg-io/node";
import type { AugmentConfig } from "@emgkit/emg-transforms";
import { EMG2QWERTY_EVAL_TRANSFORMS } from "@emgkit/emg-transforms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBatchLoader } from "../src/data/batch-loader.js";
import { collate } from "../src/data/collate.js";
import { defaultDataConfig, modelInputConfig } from "../src/data/data-config.js";
import { SessionExamples } from "../src/data/examples.js";
import { tinyDataset } from "./sim-fixture.js";

/** 4 electrodes per band at 500 Hz, n_fft 16 / hop 4: 9 bins, still 125 frames per second. */
const transforms: AugmentConfig = {
  electrodes: { count: 4 },
  sampleRate: 500,
  logSpectrogram: { nFft: 16, hopLength: 4 },
};
const windowing = { windowLength: 2000, padding: [200, 100] as [number, number], jitter: false };

describe("(T, N, 2, k, F) examples and batches", () => {
  let path: string;
  let session: Session;
  beforeAll(async () => {
    path = (await tinyDataset()).sessions[0]?.path as string;
    session = await openSession(path);
  });
  afterAll(() => session.close());

  it("SessionExamples: 2 x 4 x 9 values per frame, at the 2 kHz frame count", () => {
    const examples = new SessionExamples([session], windowing, transforms);
    const reference = new SessionExamples([session], windowing, EMG2QWERTY_EVAL_TRANSFORMS);
    const example = examples.example(0, 1);
    expect(example.electrodes).toBe(4);
    expect(example.frames).toBeGreaterThan(0);
    expect(example.inputs.length).toBe(example.frames * 2 * 4 * 9);
    expect(example.frames).toBe(reference.example(0, 1).frames);
    expect(example.labels).toEqual(reference.example(0, 1).labels);
    expect(reference.example(0, 1).electrodes).toBe(16);
  });

  it("collate: shape [T, N, 2, 4, 9]", () => {
    const examples = new SessionExamples([session], windowing, transforms);
    const batch = collate([examples.example(0, 1), examples.example(1, 2)]);
    const T = Math.max(...batch.inputLengths);
    expect(batch.shape).toEqual([T, 2, 2, 4, 9]);
    expect(batch.inputs.length).toBe(T * 2 * 2 * 4 * 9);
  });

  it("collate refuses examples with different electrodes per band", () => {
    const four = new SessionExamples([session], windowing, transforms).example(0, 1);
    const eight = new SessionExamples([session], windowing, {
      ...transforms,
      electrodes: { count: 8 },
    }).example(0, 1);
    expect(() => collate([four, eight])).toThrow(/example 1 has 8 electrodes per band/);
  });

  it("the batch loader (worker thread) gives the same shape", async () => {
    const loader = await openBatchLoader(
      { paths: [path], windowing, transforms },
      { worker: true },
    );
    try {
      const batch = await loader.load({ indices: [0, 1, 2], seeds: [1, 2, 3] });
      expect(batch.shape.slice(1)).toEqual([3, 2, 4, 9]);
    } finally {
      await loader.close();
    }
  });

  it("modelInputConfig sizes a model for the data and refuses train/eval disagreement", () => {
    const data = { ...defaultDataConfig, trainTransforms: transforms, evalTransforms: transforms };
    expect(modelInputConfig(data)).toEqual({ electrodeChannels: 4, inFeatures: 36 });
    expect(modelInputConfig(defaultDataConfig)).toEqual({ electrodeChannels: 16, inFeatures: 528 });
    expect(() => modelInputConfig({ ...data, evalTransforms: EMG2QWERTY_EVAL_TRANSFORMS })).toThrow(
      /must agree/,
    );
  });
});
