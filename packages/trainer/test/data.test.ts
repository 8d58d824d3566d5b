import { describe, expect, it } from "vitest";
import { openBatchLoader } from "../src/data/batch-loader.js";
import { collate } from "../src/data/collate.js";
import { defaultDataConfig, phaseTransforms, phaseWindowing } from "../src/data/data-config.js";
import { epochPlan } from "../src/data/epoch-plan.js";
import type { ExampleSetSpec } from "../src/data/example-set.js";
import { tinyDataset } from "./sim-fixture.js";

async function trainSpec(): Promise<ExampleSetSpec> {
  const dataset = await tinyDataset();
  return {
    paths: [dataset.sessions[0]?.path as string],
    windowing: phaseWindowing(defaultDataConfig, "train"),
    transforms: phaseTransforms(defaultDataConfig, "train"),
  };
}

describe("epochPlan", () => {
  it("covers every example once per epoch, shuffled by seed and epoch", () => {
    const a = epochPlan(10, 4, { seed: 1, epoch: 0, shuffle: true });
    expect(a.map((b) => b.indices.length)).toEqual([4, 4, 2]);
    expect(a.flatMap((b) => b.indices).sort((x, y) => x - y)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(epochPlan(10, 4, { seed: 1, epoch: 0, shuffle: true })).toEqual(a);
    expect(epochPlan(10, 4, { seed: 1, epoch: 1, shuffle: true })).not.toEqual(a);
    expect(epochPlan(5, 2, { seed: 1, epoch: 0, shuffle: false }).map((b) => b.indices)).toEqual([
      [0, 1],
      [2, 3],
      [4],
    ]);
  });
});

describe("collate", () => {
  it("pads inputs time-first and targets per row", () => {
    const frame = 2 * 16 * 2; // two frequency bins
    const a = {
      inputs: new Float32Array(3 * frame).fill(1),
      frames: 3,
      labels: Int32Array.of(5, 6),
    };
    const b = {
      inputs: new Float32Array(1 * frame).fill(2),
      frames: 1,
      labels: Int32Array.of(7, 8, 9),
    };
    const batch = collate([a, b]);
    expect(batch.shape).toEqual([3, 2, 2, 16, 2]);
    expect(Array.from(batch.inputLengths)).toEqual([3, 1]);
    expect(Array.from(batch.targetLengths)).toEqual([2, 3]);
    expect(Array.from(batch.targets)).toEqual([5, 6, 0, 7, 8, 9]);
    // (t=0, n=1) holds b's frame; (t=1, n=1) is padding.
    expect(batch.inputs[frame]).toBe(2);
    expect(batch.inputs[3 * frame]).toBe(0);
    expect(batch.inputs[2 * frame]).toBe(1);
  });
});

describe("batch loaders", () => {
  it("give the same batches in a worker thread and in this thread", async () => {
    const spec = await trainSpec();
    const inThread = await openBatchLoader(spec, { worker: false });
    const inWorker = await openBatchLoader(spec, { worker: true });
    try {
      expect(inWorker.length).toBe(inThread.length);
      expect(inThread.length).toBeGreaterThan(2);
      const plan = epochPlan(inThread.length, 2, { seed: 3, epoch: 0, shuffle: true });
      const viaWorker = await Promise.all(plan.map((request) => inWorker.load(request)));
      for (const [i, request] of plan.entries()) {
        const direct = await inThread.load(request);
        expect(viaWorker[i]?.shape).toEqual(direct.shape);
        expect(viaWorker[i]?.inputs).toEqual(direct.inputs);
        expect(viaWorker[i]?.targets).toEqual(direct.targets);
      }
      const batch = await inThread.load(plan[0] as (typeof plan)[number]);
      // 8000 + 2000 padding samples -> (10000 - 64) / 16 + 1 = 622 frames, less up to 120 samples of jitter.
      expect(batch.shape[0]).toBeGreaterThanOrEqual(614);
      expect(batch.shape[0]).toBeLessThanOrEqual(622);
      expect(batch.shape.slice(1)).toEqual([2, 2, 16, 33]);
      expect(batch.targetLengths.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    } finally {
      await inThread.close();
      await inWorker.close();
    }
  });

  it("report a missing session file in one line", async () => {
    const spec = { ...(await trainSpec()), paths: ["/nonexistent/x.hdf5"] };
    await expect(openBatchLoader(spec, { worker: true })).rejects.toThrow(/x\.hdf5/);
    await expect(openBatchLoader(spec, { worker: false })).rejects.toThrow(/x\.hdf5/);
  });
});
