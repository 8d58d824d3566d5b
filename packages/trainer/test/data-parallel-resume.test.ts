import { mkdtempSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createModel, type EmgModel, flatten } from "@emgkit/models";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { openBatchLoader } from "../src/data/batch-loader.js";
import { type BatchRequest, epochPlan } from "../src/data/epoch-plan.js";
import type { ExampleSetSpec } from "../src/data/example-set.js";
import { type EpochRecord, parseMetrics, type StepRecord } from "../src/metrics-record.js";
import { Adam, type AdamState } from "../src/optim/adam.js";
import { clipGradNorm } from "../src/optim/clip-grad.js";
import { useBackend } from "../src/train/backend.js";
import { loadCheckpoint } from "../src/train/checkpoint.js";
import { gradientStep } from "../src/train/ctc-step.js";
import { fit, runPaths } from "../src/train/fit.js";
import type { TrainConfig } from "../src/train/train-config.js";
import { tinyDataset } from "./sim-fixture.js";
import { memorisation, tinyTrainConfig } from "./tiny-training.js";

beforeAll(async () => {
  await useBackend("wasm");
});

const tmp = () => mkdtempSync(join(tmpdir(), "emgkit-dp-resume-"));

/** Every parameter and buffer of a model, by name, read back to the host. */
function weightsOf(model: EmgModel): Map<string, Float32Array> {
  return new Map(
    [...flatten(model.params), ...flatten(model.buffers)].map(
      ([name, t]) => [name, Float32Array.from(t.dataSync())] as const,
    ),
  );
}

/** The largest absolute difference between two arrays, and the largest magnitude of the second. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): { diff: number; scale: number } {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return { diff, scale };
}

/**
 * Same names, and every tensor within `tolerance` of the expected one,
 * relative to the expected tensor's largest magnitude (see data-parallel.test.ts
 * for why max-norm rather than element-wise relative error).
 */
function expectAllClose(
  actual: Map<string, ArrayLike<number>>,
  expected: Map<string, ArrayLike<number>>,
  tolerance: number,
): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, values] of actual) {
    const { diff, scale } = maxDiff(values, expected.get(name) as ArrayLike<number>);
    expect(diff, name).toBeLessThanOrEqual(tolerance * Math.max(scale, 1e-6));
  }
}

/** Adam's moments by "<param>/exp_avg" and "<param>/exp_avg_sq". */
function momentsOf(state: AdamState): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [name, param] of Object.entries(state.params)) {
    out.set(`${name}/exp_avg`, param.expAvg);
    out.set(`${name}/exp_avg_sq`, param.expAvgSq);
  }
  return out;
}

async function records(runDir: string) {
  const all = parseMetrics(await readFile(runPaths(runDir).metrics, "utf8"));
  return {
    steps: all.filter((r): r is StepRecord => r.kind === "step"),
    val: all.filter((r): r is EpochRecord => r.kind === "epoch" && r.phase === "val"),
    train: all.filter((r): r is EpochRecord => r.kind === "epoch" && r.phase === "train"),
  };
}

/** `replicas` contiguous shards of a batch, sizes differing by at most one, the larger first. */
function contiguousShards(request: BatchRequest, replicas: number): BatchRequest[] {
  const N = request.indices.length;
  const out: BatchRequest[] = [];
  let start = 0;
  for (let r = 0; r < replicas; r++) {
    const end = start + Math.floor(N / replicas) + (r < N % replicas ? 1 : 0);
    out.push({
      indices: request.indices.slice(start, end),
      seeds: request.seeds.slice(start, end),
    });
    start = end;
  }
  return out;
}

/**
 * Data-parallel training written out on one thread, from a given model and
 * optimiser: per batch, each shard's gradient from the same starting BatchNorm
 * statistics, the gradients and float statistics averaged by shard size, the
 * integer counters advanced once, then clip and Adam. Returns the batch losses.
 */
async function shardedEpoch(
  model: EmgModel,
  adam: Adam,
  config: TrainConfig,
  spec: ExampleSetSpec,
  epoch: number,
  replicas: number,
): Promise<number[]> {
  const loader = await openBatchLoader(spec, { worker: false });
  const plan = epochPlan(loader.length, config.data.batchSize, {
    seed: config.seed,
    epoch,
    shuffle: true,
  }).slice(0, config.limitTrainBatches ?? undefined);
  const buffers = flatten<tf.Variable>(model.buffers);
  const losses: number[] = [];
  try {
    for (const request of plan) {
      const N = request.indices.length;
      const start = buffers.map(([, v]) => tf.clone(v));
      const gradSums = new Map<string, tf.Tensor>();
      const bufferSums = buffers.map(([, v]) => tf.zeros(v.shape, "float32"));
      let loss = 0;
      for (const shard of contiguousShards(request, replicas)) {
        if (shard.indices.length === 0) continue;
        const w = shard.indices.length / N;
        for (const [i, [, v]] of buffers.entries()) v.assign(start[i] as tf.Tensor);
        const step = gradientStep(model, await loader.load(shard));
        loss += w * step.loss;
        for (const [name, g] of step.grads) {
          const sum = gradSums.get(name);
          gradSums.set(
            name,
            tf.tidy(() => (sum === undefined ? tf.mul(g, w) : tf.add(sum, tf.mul(g, w)))),
          );
          sum?.dispose();
          g.dispose();
        }
        buffers.forEach(([, v], i) => {
          const sum = bufferSums[i] as tf.Tensor;
          bufferSums[i] = tf.tidy(() => tf.add(sum, tf.mul(tf.cast(v, "float32"), w)));
          sum.dispose();
        });
      }
      tf.tidy(() => {
        buffers.forEach(([, v], i) => {
          v.assign(
            v.dtype === "float32"
              ? (bufferSums[i] as tf.Tensor)
              : tf.add(start[i] as tf.Tensor, tf.scalar(1, "int32")),
          );
        });
      });
      tf.dispose([...start, ...bufferSums]);
      let grads = gradSums;
      if (config.gradClipNorm !== null) {
        grads = clipGradNorm(gradSums, config.gradClipNorm).grads;
        tf.dispose([...gradSums.values()]);
      }
      adam.apply(grads, config.optimizer.lr);
      tf.dispose([...grads.values()]);
      losses.push(loss);
    }
  } finally {
    await loader.close();
  }
  return losses;
}

/** Jittered windows: each example's seed matters, so shards must carry the right ones. */
function trainSpec(path: string, config: TrainConfig): ExampleSetSpec {
  const { train } = memorisation(path, config);
  return { ...train, windowing: { ...train.windowing, jitter: true } };
}

describe("data-parallel training, resumed or started from given weights", () => {
  it("2 workers resumed from the last checkpoint end where an uninterrupted 2-worker run does", async () => {
    const dataset = await tinyDataset();
    const path = dataset.sessions[0]?.path as string;
    const config: TrainConfig = {
      ...tinyTrainConfig,
      // 5 windows a batch: shards of 3 and 2.
      data: { ...tinyTrainConfig.data, batchSize: 5 },
      limitTrainBatches: 3,
      limitValBatches: 1,
      gradClipNorm: 5,
      seed: 9,
      workers: 2,
    };
    const train = trainSpec(path, config);
    const { val } = memorisation(path, config);

    const straightDir = tmp();
    const whole = await fit({
      config: { ...config, maxEpochs: 2 },
      train,
      val,
      runDir: straightDir,
    });
    const interruptedDir = tmp();
    const first = await fit({
      config: { ...config, maxEpochs: 1 },
      train,
      val,
      runDir: interruptedDir,
    });
    first.model.dispose();
    const halfway = await loadCheckpoint(runPaths(interruptedDir).last);
    const halfwayWeights = weightsOf(halfway.model);
    halfway.model.dispose();
    expect(halfway.trainer.epoch).toBe(1);
    expect(halfway.trainer.step).toBe(3);
    for (const p of Object.values(halfway.optimizer.params)) expect(p.step).toBe(3);

    const before = tf.memory().numTensors;
    // checkReplicas: the worker's weights and buffers equal the main thread's after every
    // resumed step, which they cannot unless it started from the checkpoint's weights and Adam state.
    const resumed = await fit({
      config: { ...config, maxEpochs: 2 },
      train,
      val,
      runDir: interruptedDir,
      resume: true,
      checkReplicas: true,
    });
    try {
      // Nothing but the returned model stays on the main thread.
      const modelTensors =
        flatten(resumed.model.params).length + flatten(resumed.model.buffers).length;
      expect(tf.memory().numTensors).toBe(before + modelTensors);
      expect(resumed.state.epoch).toBe(2);
      expect(resumed.state.step).toBe(6);
      expect(whole.state.step).toBe(6);
      expect(resumed.stoppedBy).toBe("max-epochs");
      const end = weightsOf(resumed.model);
      expectAllClose(end, weightsOf(whole.model), 1e-5);
      // The resumed epoch moved every parameter away from the halfway checkpoint.
      for (const [name] of flatten(resumed.model.params)) {
        const moved = maxDiff(
          end.get(name) as Float32Array,
          halfwayWeights.get(name) as Float32Array,
        );
        expect(moved.diff, name).toBeGreaterThan(1e-4);
      }

      const a = await loadCheckpoint(runPaths(straightDir).last);
      const b = await loadCheckpoint(runPaths(interruptedDir).last);
      a.model.dispose();
      b.model.dispose();
      expect(b.trainer.epoch).toBe(2);
      expect(b.trainer.step).toBe(6);
      expect(b.trainer.bestEpoch).toBe(a.trainer.bestEpoch);
      for (const p of Object.values(b.optimizer.params)) expect(p.step).toBe(6);
      expectAllClose(momentsOf(b.optimizer), momentsOf(a.optimizer), 1e-5);

      const straight = await records(straightDir);
      const interrupted = await records(interruptedDir);
      expect(interrupted.steps.map((s) => [s.epoch, s.step])).toEqual([
        [0, 1],
        [0, 2],
        [0, 3],
        [1, 4],
        [1, 5],
        [1, 6],
      ]);
      interrupted.steps.forEach((s, i) => {
        expect(s.loss).toBeCloseTo(straight.steps[i]?.loss as number, 5);
      });
      expect(interrupted.val.map((r) => r.epoch)).toEqual([0, 1]);
      expect(interrupted.train.map((r) => r.step)).toEqual([3, 6]);
      interrupted.val.forEach((r, i) => {
        expect(r.loss).toBeCloseTo(straight.val[i]?.loss as number, 5);
        expect(r.CER).toBeCloseTo(straight.val[i]?.CER as number, 5);
      });
    } finally {
      resumed.model.dispose();
      whole.model.dispose();
    }
  });

  it("2 workers started from initWeights train every replica from those weights", async () => {
    const dataset = await tinyDataset();
    const path = dataset.sessions[0]?.path as string;
    const config: TrainConfig = {
      ...tinyTrainConfig,
      data: { ...tinyTrainConfig.data, batchSize: 5 },
      maxEpochs: 1,
      limitTrainBatches: 3,
      gradClipNorm: 5,
      seed: 3,
      workers: 2,
    };
    const train = trainSpec(path, config);

    // Initial weights: one single-thread epoch from another seed, so that both the
    // parameters and the BatchNorm statistics differ from a fresh model's. The
    // checkpoint's optimiser state must not be taken over.
    const pretrainDir = tmp();
    (
      await fit({
        config: { ...config, workers: 1, seed: 21, limitTrainBatches: 2 },
        train,
        val: null,
        runDir: pretrainDir,
      })
    ).model.dispose();
    const initPath = runPaths(pretrainDir).last;
    const init = await loadCheckpoint(initPath);
    const fresh = createModel(config.model.kind, config.model.config, config.seed);
    const initWeights = weightsOf(init.model);
    const freshWeights = weightsOf(fresh);
    fresh.dispose();
    for (const [name, values] of initWeights) {
      // Parameters from another seed; running statistics and counters after 2 steps.
      expect(maxDiff(values, freshWeights.get(name) as Float32Array).diff, name).toBeGreaterThan(0);
    }

    const runDir = tmp();
    const result = await fit({
      config,
      train,
      val: null,
      runDir,
      initWeights: initPath,
      checkReplicas: true,
    });
    const adam = new Adam(flatten<tf.Variable>(init.model.params), config.optimizer);
    try {
      expect(result.state.epoch).toBe(1);
      expect(result.state.step).toBe(3);
      const losses = await shardedEpoch(init.model, adam, config, train, 0, 2);
      expectAllClose(weightsOf(result.model), weightsOf(init.model), 1e-5);
      const { steps } = await records(runDir);
      expect(steps.map((s) => s.step)).toEqual([1, 2, 3]);
      steps.forEach((s, i) => {
        expect(s.loss).toBeCloseTo(losses[i] as number, 5);
      });
      // A fresh optimiser: 3 steps, not the pretraining checkpoint's 2 + 3.
      const last = await loadCheckpoint(runPaths(runDir).last);
      last.model.dispose();
      for (const p of Object.values(last.optimizer.params)) expect(p.step).toBe(3);
      expectAllClose(momentsOf(last.optimizer), momentsOf(adam.state()), 1e-5);
    } finally {
      adam.dispose();
      init.model.dispose();
      result.model.dispose();
    }
  });
});
