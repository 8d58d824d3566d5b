import { mkdtempSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createModel, type EmgModel, flatten } from "@emgkit/models";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { openBatchLoader } from "../src/data/batch-loader.js";
import { type BatchRequest, epochPlan } from "../src/data/epoch-plan.js";
import { parseMetrics, type StepRecord } from "../src/metrics-record.js";
import { Adam } from "../src/optim/adam.js";
import { clipGradNorm } from "../src/optim/clip-grad.js";
import { useBackend } from "../src/train/backend.js";
import { gradientStep } from "../src/train/ctc-step.js";
import { ReplicaPool } from "../src/train/data-parallel/replica-pool.js";
import { fit, runPaths } from "../src/train/fit.js";
import type { TrainConfig } from "../src/train/train-config.js";
import { tinyDataset } from "./sim-fixture.js";
import { memorisation, tinyTrainConfig } from "./tiny-training.js";

beforeAll(async () => {
  await useBackend("wasm");
});

const tmp = () => mkdtempSync(join(tmpdir(), "emgkit-dp-"));

/** Contiguous shards, larger first: written out here rather than imported, as the definition under test. */
function shardsOf(request: BatchRequest, n: number): BatchRequest[] {
  const out: BatchRequest[] = [];
  let start = 0;
  for (let r = 0; r < n; r++) {
    const size = Math.ceil((request.indices.length - start) / (n - r));
    out.push({
      indices: request.indices.slice(start, start + size),
      seeds: request.seeds.slice(start, start + size),
    });
    start += size;
  }
  return out;
}

const values = (model: EmgModel, tree: "params" | "buffers") =>
  flatten(model[tree]).map(([name, t]) => [name, Float32Array.from(t.dataSync())] as const);

/**
 * The reference: one model, each batch's gradient the size-weighted mean of
 * its shards' gradients (micro-batches from the same BatchNorm statistics),
 * BatchNorm running statistics averaged the same way, then clip and Adam.
 */
async function reference(
  config: TrainConfig,
  spec: Parameters<typeof openBatchLoader>[0],
  n: number,
): Promise<{ model: EmgModel; losses: number[] }> {
  const model = createModel(config.model.kind, config.model.config, config.seed);
  const adam = new Adam(flatten<tf.Variable>(model.params), config.optimizer);
  const loader = await openBatchLoader(spec, { worker: false });
  const plan = epochPlan(loader.length, config.data.batchSize, {
    seed: config.seed,
    epoch: 0,
    shuffle: true,
  }).slice(0, config.limitTrainBatches ?? undefined);
  const buffers = flatten<tf.Variable>(model.buffers);
  const losses: number[] = [];
  for (const request of plan) {
    const N = request.indices.length;
    const before = buffers.map(([, v]) => tf.clone(v));
    const sums = new Map<string, tf.Tensor>();
    const bufferSums = buffers.map(([, v]) => tf.zeros(v.shape, "float32"));
    let loss = 0;
    for (const shard of shardsOf(request, n)) {
      if (shard.indices.length === 0) continue;
      const w = shard.indices.length / N;
      buffers.forEach(([, v], i) => {
        v.assign(before[i] as tf.Tensor);
      });
      const step = gradientStep(model, await loader.load(shard));
      loss += w * step.loss;
      for (const [name, g] of step.grads) {
        const previous = sums.get(name);
        sums.set(name, previous === undefined ? tf.mul(g, w) : tf.add(previous, tf.mul(g, w)));
        previous?.dispose();
        g.dispose();
      }
      buffers.forEach(([, v], i) => {
        const sum = bufferSums[i] as tf.Tensor;
        bufferSums[i] = tf.tidy(() => tf.add(sum, tf.mul(tf.cast(v, "float32"), w)));
        sum.dispose();
      });
    }
    buffers.forEach(([, v], i) => {
      // Integer counters (batches seen) advance by one per step on every replica.
      const value =
        v.dtype === "float32"
          ? (bufferSums[i] as tf.Tensor)
          : tf.add(before[i] as tf.Tensor, tf.scalar(1, "int32"));
      v.assign(value);
      if (value !== bufferSums[i]) value.dispose();
    });
    tf.dispose([...before, ...bufferSums]);
    let grads = sums;
    if (config.gradClipNorm !== null) {
      grads = clipGradNorm(sums, config.gradClipNorm).grads;
      tf.dispose([...sums.values()]);
    }
    adam.apply(grads, config.optimizer.lr);
    tf.dispose([...grads.values()]);
    losses.push(loss);
  }
  adam.dispose();
  await loader.close();
  return { model, losses };
}

/**
 * Equal within 1e-5 relative to the tensor's largest value (max norm): the
 * gradients are averaged in another order of float32 roundings than the
 * reference's tfjs ops, and Adam's first steps (update ~ lr * g / |g|) turn
 * last-bit differences of near-zero gradients into differences of about 1e-7
 * absolute, which element-wise relative error over-weights.
 */
function expectClose(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < actual.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i] as number));
    diff = Math.max(diff, Math.abs((actual[i] as number) - (expected[i] as number)));
  }
  expect(diff, what).toBeLessThanOrEqual(1e-5 * Math.max(scale, 1e-6));
}

describe("data-parallel training", () => {
  it("2 workers equal single-thread training on the same shards; replicas stay identical; no leaks", async () => {
    const dataset = await tinyDataset();
    const config: TrainConfig = {
      ...tinyTrainConfig,
      // 5 windows a batch: shards of 3 and 2, so the weighting matters.
      data: { ...tinyTrainConfig.data, batchSize: 5 },
      maxEpochs: 1,
      limitTrainBatches: 4,
      gradClipNorm: 5,
      workers: 2,
    };
    const { train } = memorisation(dataset.sessions[0]?.path as string, config);
    const runDir = tmp();
    const before = tf.memory().numTensors;
    const result = await fit({ config, train, val: null, runDir, checkReplicas: true });
    expect(result.state.step).toBe(4);
    // Nothing but the returned model stays on the main thread.
    const modelTensors = flatten(result.model.params).length + flatten(result.model.buffers).length;
    expect(tf.memory().numTensors).toBe(before + modelTensors);
    const ref = await reference(config, train, 2);
    try {
      const refParams = new Map(values(ref.model, "params"));
      for (const [name, data] of values(result.model, "params")) {
        expectClose(data, refParams.get(name) as Float32Array, name);
      }
      const refBuffers = new Map(values(ref.model, "buffers"));
      for (const [name, data] of values(result.model, "buffers")) {
        expectClose(data, refBuffers.get(name) as Float32Array, name);
      }
      const steps = parseMetrics(await readFile(runPaths(runDir).metrics, "utf8")).filter(
        (r): r is StepRecord => r.kind === "step",
      );
      expect(steps.map((s) => s.loss)).toHaveLength(4);
      steps.forEach((s, i) => {
        expect(s.loss).toBeCloseTo(ref.losses[i] as number, 5);
      });
    } finally {
      ref.model.dispose();
      result.model.dispose();
    }
  });

  it("a worker that fails surfaces as a one-line error, and the pool still closes", async () => {
    const dataset = await tinyDataset();
    const config = { ...tinyTrainConfig, workers: 2 };
    const { train } = memorisation(dataset.sessions[0]?.path as string, config);
    const before = tf.memory().numTensors;
    const model = createModel(config.model.kind, config.model.config, config.seed);
    const adam = new Adam(flatten<tf.Variable>(model.params), config.optimizer);
    const loader = await openBatchLoader(train, { worker: false });
    const pool = await ReplicaPool.start({
      replicas: 2,
      model,
      adam,
      adamOptions: config.optimizer,
      resumed: false,
      train,
      loaderWorker: false,
      gradClipNorm: null,
    });
    try {
      const good = { indices: [0, 1], seeds: [1, 2] };
      // The worker's shard names a window that does not exist.
      pool.post(0, [good, { indices: [1_000_000], seeds: [3] }], null, 1e-3, false);
      const step = gradientStep(model, await loader.load(good));
      const failed = pool.reduce(step, 2, adam, 1e-3, false);
      await expect(failed).rejects.toThrow(/^data-parallel worker 1: [^\n]+$/);
      tf.dispose([...step.grads.values()]);
    } finally {
      await pool.close();
      await loader.close();
      adam.dispose();
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
