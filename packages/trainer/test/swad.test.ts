import { mkdtempSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmgModel, loadWeights, modelFromWeights, saveWeights } from "@emgkit/models";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { type EpochRecord, parseMetrics } from "../src/metrics-record.js";
import { useBackend } from "../src/train/backend.js";
import { loadCheckpoint } from "../src/train/checkpoint.js";
import { fit, runPaths } from "../src/train/fit.js";
import {
  defaultSwadConfig,
  SwadAverager,
  type SwadConfig,
  swadWindow,
  validateSwadConfig,
} from "../src/train/swad.js";
import type { TrainConfig } from "../src/train/train-config.js";
import { tinyDataset } from "./sim-fixture.js";
import { memorisation, tinyTrainConfig } from "./tiny-training.js";

beforeAll(async () => {
  await useBackend("wasm");
});

const tmp = () => mkdtempSync(join(tmpdir(), "emgkit-swad-"));

describe("SWAD's window (LossValley)", () => {
  it("has the paper's defaults and refuses settings out of range", () => {
    expect(defaultSwadConfig).toEqual({ nConverge: 3, nTolerance: 6, toleranceRatio: 0.3 });
    expect(() => validateSwadConfig({ ...defaultSwadConfig, nConverge: 0 })).toThrow(
      /swad.nConverge must be an integer >= 1/,
    );
    expect(() => validateSwadConfig({ ...defaultSwadConfig, nTolerance: 1.5 })).toThrow(
      /swad.nTolerance/,
    );
    expect(() => validateSwadConfig({ ...defaultSwadConfig, toleranceRatio: -1 })).toThrow(
      /swad.toleranceRatio/,
    );
  });

  it("starts at the first segment of the first full queue whose first loss is its lowest", () => {
    // Queues [10 8 6], [8 6 5], [6 5 5.2] fail; [5 5.2 5.1] converges: start 3,
    // threshold 1.3 * 5.1 = 6.63. Epochs 4-6 stay under it; six 9s end the valley.
    const losses = [10, 8, 6, 5, 5.2, 5.1, 5.3, 9, 9, 9, 9, 9, 9, 4];
    expect(swadWindow(losses, defaultSwadConfig)).toEqual({
      startEpoch: 3,
      endEpoch: 6,
      steps: 4,
      converged: true,
    });
    // Equal minima: the first of them counts as the lowest.
    expect(swadWindow([5, 5, 5], defaultSwadConfig)).toMatchObject({ startEpoch: 0, endEpoch: 2 });
  });

  it("bridges fewer than nTolerance segments above the threshold, ends at nTolerance in a row", () => {
    // Threshold 1.3 * mean(5, 6, 5.5) = 7.15: two 8s wait, the 5.5 after them brings them in.
    const bridged = [5, 6, 5.5, 8, 8, 5.5];
    expect(swadWindow(bridged, defaultSwadConfig)).toMatchObject({ startEpoch: 0, endEpoch: 5 });
    const dead = [...bridged, 9, 9, 9, 9, 9, 9, 4, 4];
    expect(swadWindow(dead, defaultSwadConfig)).toMatchObject({ startEpoch: 0, endEpoch: 5 });
    // Five 9s are not yet six: the 4 after them still reaches back over them.
    const alive = [...bridged, 9, 9, 9, 9, 9, 4];
    expect(swadWindow(alive, defaultSwadConfig)).toMatchObject({ startEpoch: 0, endEpoch: 11 });
    // Training that ends while segments wait drops them (their look-ahead never comes back down).
    expect(swadWindow([5, 6, 5.5, 8, 8], defaultSwadConfig)).toMatchObject({
      startEpoch: 0,
      endEpoch: 2,
      steps: 3,
    });
  });

  it("compares with the threshold inclusively, and nTolerance 1 ends at the first loss above it", () => {
    const config = { nConverge: 3, nTolerance: 1, toleranceRatio: 0.25 };
    // Threshold 1.25 * mean(4, 6, 5) = 6.25.
    expect(swadWindow([4, 6, 5, 6.25, 6.26, 1], config)).toMatchObject({
      startEpoch: 0,
      endEpoch: 3,
    });
    // A queued segment above the threshold ends it already at convergence.
    expect(swadWindow([4, 9, 5, 1], { ...config, toleranceRatio: 0 })).toMatchObject({
      startEpoch: 0,
      endEpoch: 0,
      steps: 1,
    });
  });

  it("falls back to the last nConverge segments when training ends before convergence", () => {
    expect(swadWindow([10, 9, 8, 7, 6], defaultSwadConfig)).toEqual({
      startEpoch: 2,
      endEpoch: 4,
      steps: 3,
      converged: false,
    });
    expect(swadWindow([10, 9], defaultSwadConfig)).toMatchObject({
      startEpoch: 0,
      endEpoch: 1,
      converged: false,
    });
    expect(swadWindow([], defaultSwadConfig)).toBeNull();
  });
});

/** A stand-in model: two parameters and an int buffer, set by hand at each step. */
function toyModel() {
  const params = tf.tidy(() => ({
    a: tf.variable(tf.zeros([2, 3])),
    b: { c: tf.variable(tf.zeros([4])) },
  }));
  const buffers = tf.tidy(() => ({ n: tf.variable(tf.scalar(0, "int32"), false) }));
  return {
    params,
    buffers,
    dispose: () => {
      for (const t of [params.a, params.b.c, buffers.n]) t.dispose();
    },
  };
}

function setToy(model: ReturnType<typeof toyModel>, step: number): Float64Array {
  const values = Array.from({ length: 10 }, (_, i) => Math.sin(step * 7.3 + i) * (1 + step));
  tf.tidy(() => {
    model.params.a.assign(tf.tensor(values.slice(0, 6), [2, 3]));
    model.params.b.c.assign(tf.tensor(values.slice(6, 10), [4]));
    model.buffers.n.assign(tf.scalar(step * 4, "int32"));
  });
  return Float64Array.from([...values, step * 4]);
}

function flatAverage(tensors: Map<string, { data: Float32Array }>): number[] {
  return ["a", "b.c", "n"].flatMap((name) => [...(tensors.get(name)?.data ?? [])]);
}

describe("SwadAverager", () => {
  // Epochs of 3, 2, 4, 1 and 2 steps. nConverge 2: [3, 2] fails, [2, 2.5] converges
  // at epoch 1, threshold 1.2 * 2.25 = 2.7; epoch 3 joins, epoch 4's 9 ends it.
  const config: SwadConfig = { nConverge: 2, nTolerance: 1, toleranceRatio: 0.2 };
  const stepsPerEpoch = [3, 2, 4, 1, 2];
  const losses = [3, 2, 2.5, 2.1, 9];

  it("averages every step's weights and buffers of the window, equally, and leaks nothing", () => {
    const start = tf.memory().numTensors;
    const model = toyModel();
    const swad = SwadAverager.create(model, config);
    const perStep: Float64Array[][] = [];
    let step = 0;
    let peak = 0;
    stepsPerEpoch.forEach((steps, epoch) => {
      perStep[epoch] = [];
      for (let s = 0; s < steps; s++) {
        perStep[epoch]?.push(setToy(model, step++));
        swad.addStep(model);
        peak = Math.max(peak, tf.memory().numTensors - start - 3);
      }
      swad.endEpoch(epoch, losses[epoch] as number);
      peak = Math.max(peak, tf.memory().numTensors - start - 3);
    });
    // At most nConverge + nTolerance + 1 copies of the model's 3 tensors.
    expect(peak).toBeLessThanOrEqual((config.nConverge + config.nTolerance + 1) * 3);
    const average = swad.average();
    expect(average?.window).toEqual({ startEpoch: 1, endEpoch: 3, steps: 7, converged: true });
    const windowSteps = perStep.slice(1, 4).flat();
    const expected = Array.from(
      { length: 11 },
      (_, i) => windowSteps.reduce((sum, w) => sum + (w[i] as number), 0) / windowSteps.length,
    );
    const actual = flatAverage(average?.tensors ?? new Map());
    expect(actual).toHaveLength(11);
    // float32 sums: within 1e-6 of the float64 mean, relative to its size.
    const errors = actual.map((value, i) => {
      const exact = expected[i] as number;
      return Math.abs(value - exact) / Math.max(1, Math.abs(exact));
    });
    expect(Math.max(...errors)).toBeLessThan(1e-6);
    swad.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it("continues bit-exactly from its saved state", () => {
    const start = tf.memory().numTensors;
    const model = toyModel();
    const run = (saveAfter: number | null) => {
      let swad = SwadAverager.create(model, config);
      let step = 0;
      stepsPerEpoch.forEach((steps, epoch) => {
        for (let s = 0; s < steps; s++) {
          setToy(model, step++);
          swad.addStep(model);
        }
        swad.endEpoch(epoch, losses[epoch] as number);
        if (epoch === saveAfter) {
          const { tensors, metadata } = swad.toSafetensors();
          swad.dispose();
          swad = SwadAverager.fromSafetensors(model, config, new Map(tensors), metadata);
          expect(swad.epochs).toBe(epoch + 1);
        }
      });
      const average = swad.average();
      swad.dispose();
      return average;
    };
    const whole = run(null);
    for (const saveAfter of [0, 1, 2, 3]) {
      const resumed = run(saveAfter);
      expect(resumed?.window).toEqual(whole?.window);
      expect(flatAverage(resumed?.tensors ?? new Map())).toEqual(
        flatAverage(whole?.tensors ?? new Map()),
      );
    }
    const { tensors, metadata } = SwadAverager.create(model, config).toSafetensors();
    expect(() =>
      SwadAverager.fromSafetensors(model, { ...config, nConverge: 3 }, new Map(tensors), metadata),
    ).toThrow(/swad.nConverge = 2, the config says 3/);
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});

async function valLosses(runDir: string): Promise<number[]> {
  return parseMetrics(await readFile(runPaths(runDir).metrics, "utf8"))
    .filter((r): r is EpochRecord => r.kind === "epoch" && r.phase === "val")
    .map((r) => r.loss);
}

function weights(model: EmgModel): number[] {
  return [...loadWeights(saveWeights(model)).tensors.values()].flatMap((t) => [...t.data]);
}

describe("fit with SWAD", () => {
  const swad: SwadConfig = { nConverge: 2, nTolerance: 2, toleranceRatio: 0.3 };
  const config: TrainConfig = {
    ...tinyTrainConfig,
    limitTrainBatches: 2,
    limitValBatches: 1,
    maxEpochs: 10,
    seed: 9,
    swad,
  };
  /** The uninterrupted run of the first test, for the second. */
  let straight = "";

  it("writes checkpoints/swad.safetensors, the average over the window of the val losses, and leaks nothing", async () => {
    const dataset = await tinyDataset();
    const { train, val } = memorisation(dataset.sessions[0]?.path as string, config);
    const runDir = tmp();
    straight = runDir;
    const before = tf.memory().numTensors;
    const result = await fit({ config, train, val, runDir });
    // Measured val losses 176, 15.9, 5.1, 3.5, 3.0, 2.8, 2.69, 2.653, 2.656, 2.71:
    // converged at epoch 8 (queue [7, 8]), window 7-9.
    const expected = swadWindow(await valLosses(runDir), swad);
    expect(expected?.converged).toBe(true);
    expect(result.swad).toEqual(
      expected === null ? null : { ...expected, steps: expected.steps * 2 },
    );
    expect(result.state.swad).toEqual(result.swad);
    const averaged = modelFromWeights(await readFile(runPaths(runDir).swad));
    expect(averaged.kind).toBe("tds");
    const [a, b] = [weights(averaged), weights(result.model)];
    expect(a).toHaveLength(b.length);
    expect(a.every(Number.isFinite)).toBe(true);
    expect(a).not.toEqual(b);
    averaged.dispose();
    result.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const checkpoint = await loadCheckpoint(runPaths(runDir).last);
    expect(checkpoint.trainer.swad).toEqual(result.swad);
    checkpoint.model.dispose();
  });

  it("resumes exactly, also after a crash between SWAD's state and the checkpoint: same swad.safetensors", async () => {
    const dataset = await tinyDataset();
    const { train, val } = memorisation(dataset.sessions[0]?.path as string, config);
    const dir = tmp();
    const upTo = async (maxEpochs: number, resume: boolean) => {
      const result = await fit({
        config: { ...config, maxEpochs },
        train,
        val,
        runDir: dir,
        resume,
      });
      result.model.dispose();
      return result;
    };
    await upTo(7, false);
    const afterSeven = await readFile(runPaths(dir).last);
    expect((await upTo(8, true)).swad?.converged).toBe(false);
    // A crash after epoch 8's SWAD state but before its checkpoint: the state moved aside is used.
    await writeFile(runPaths(dir).last, afterSeven);
    const resumed = await upTo(10, true);
    const whole = await loadCheckpoint(runPaths(straight).last);
    whole.model.dispose();
    expect(resumed.swad).toEqual(whole.trainer.swad);
    expect(resumed.swad?.converged).toBe(true);
    const [x, y] = await Promise.all([straight, dir].map((d) => readFile(runPaths(d).swad)));
    expect(Buffer.from(x as Buffer).equals(y as Buffer)).toBe(true);
  });

  it("needs a validation set, and its saved state to resume", async () => {
    const dataset = await tinyDataset();
    const { train, val } = memorisation(dataset.sessions[0]?.path as string, config);
    await expect(fit({ config, train, val: null, runDir: tmp() })).rejects.toThrow(
      /SWAD needs a validation set/,
    );
    const runDir = tmp();
    const plain = { ...config, swad: null, maxEpochs: 1 };
    (await fit({ config: plain, train, val, runDir })).model.dispose();
    const before = tf.memory().numTensors;
    await expect(fit({ config, train, val, runDir, resume: true })).rejects.toThrow(
      /swad-state\.safetensors: missing; resuming with swad on needs SWAD's state/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
