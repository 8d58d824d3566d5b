/**
 * The default TDS model's training step as `fit` runs it: batch 32 of emg2qwerty's 10 000-sample
 * windows (8000 + padding (1800, 200), 622 spectrogram frames) loaded by the worker-thread loader
 * with emg2qwerty's train transforms from a small simulated dataset, `gradientStep` + `Adam` on
 * the wasm backend, on one thread or data-parallel over n replicas (the main thread computes
 * shard 0 and n - 1 replica workers the others, gradients averaged through shared memory).
 * Shared by `train-step.bench.ts` and the one table (`emgkit.bench.ts`).
 */
import { join } from "node:path";
import { simulate } from "@emgkit/emg-sim";
import { EMG2QWERTY_TRAIN_TRANSFORMS } from "@emgkit/emg-transforms";
import { countParams, createModel, flatten } from "@emgkit/models";
import * as tf from "@tensorflow/tfjs-core";
import { registerGradients } from "../../models/bench/register-gradients.js";
import { openBatchLoader } from "../src/data/batch-loader.js";
import type { Batch } from "../src/data/collate.js";
import { epochPlan } from "../src/data/epoch-plan.js";
import { Adam } from "../src/optim/adam.js";
import { useBackend } from "../src/train/backend.js";

// ctc-step imports tfjs-core's gradient registrations, whose extension-less imports need
// the resolve hook installed first: load it only after.
await registerGradients();
const { gradientStep } = await import("../src/train/ctc-step.js");
const { ReplicaPool } = await import("../src/train/data-parallel/replica-pool.js");

export const BATCH = 32;
const WINDOW = 8000;
const PADDING: [number, number] = [1800, 200];
const LR = 1e-3;

export interface Row {
  implementation: string;
  threads: string;
  parameters: number;
  /** Mean seconds per timed step, data wait included. */
  stepSeconds: number;
  /** Mean seconds of each timed step spent waiting for its batch. */
  dataWaitSeconds: number;
  warmupSeconds: number;
  peakRssMb: number;
  wasmHeapMb?: number;
  /** CPU seconds of the whole process (all its threads) per second of a timed step: the cores it kept busy. */
  coresBusy?: number;
}

/** The mean of `values`. */
export const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
const now = () => performance.now() / 1000;

/** Simulates 2 users x 3 sessions x 2 min into `dir`/data: the sessions' paths. */
export async function simulateBenchSessions(dir: string): Promise<string[]> {
  const dataDir = join(dir, "data");
  console.error(`simulating 2 users x 3 sessions x 2 min into ${dataDir}`);
  const data = await simulate({
    outDir: dataDir,
    users: 2,
    sessionsPerUser: 3,
    minutesPerSession: 2,
    seed: 1,
  });
  return data.sessions.map((session) => session.path);
}

/** One warm-up step, then `steps` timed ones over `paths` with `workers` replicas. */
export async function measureTdsStep(
  paths: string[],
  workers: number,
  steps: number,
): Promise<{ row: Row; targetLengths: number[] }> {
  const spec = {
    paths,
    windowing: { windowLength: WINDOW, padding: PADDING, jitter: true },
    transforms: EMG2QWERTY_TRAIN_TRANSFORMS,
  };
  const loader = await openBatchLoader(spec);
  const fullPlan = epochPlan(loader.length, BATCH, { seed: 0, epoch: 0, shuffle: true }).filter(
    (request) => request.indices.length === BATCH,
  );
  if (fullPlan.length < steps + 1) {
    throw new Error(
      `${loader.length} windows make ${fullPlan.length} full batches, need ${steps + 1}`,
    );
  }

  await useBackend("wasm");
  const model = createModel("tds", {}, 0);
  const adam = new Adam(flatten<tf.Variable>(model.params));
  const pool =
    workers > 1
      ? await ReplicaPool.start({
          replicas: workers,
          model,
          adam,
          adamOptions: {},
          resumed: false,
          train: spec,
          loaderWorker: true,
          gradClipNorm: null,
        })
      : null;
  const shards = pool?.shard(fullPlan) ?? null;
  // The main thread loads its shard only.
  const plan = shards === null ? fullPlan : shards.map((s) => s[0] as (typeof fullPlan)[number]);
  const timed: Array<{ seconds: number; wait: number; cpu: number }> = [];
  let targetLengths: number[] = [];
  let next: Promise<Batch> | null = loader.load(plan[0] as (typeof plan)[number]);
  for (let i = 0; i <= steps; i++) {
    const start = now();
    const cpuStart = process.cpuUsage();
    const batch = await (next as Promise<Batch>);
    const wait = now() - start;
    next = i < steps ? loader.load(plan[i + 1] as (typeof plan)[number]) : null;
    if (i === 0) {
      targetLengths = Array.from(batch.targetLengths);
      console.error(
        `batch shape ${batch.shape.join(" x ")} (first batch took ${wait.toFixed(1)} s)`,
      );
    }
    pool?.post(i, shards?.[i] ?? [], shards?.[i + 1] ?? null, LR, false);
    const step = gradientStep(model, batch);
    if (pool === null) adam.apply(step.grads, LR);
    else await pool.reduce(step, batch.shape[1], adam, LR, false);
    tf.dispose([...step.grads.values()]);
    const cpu = process.cpuUsage(cpuStart);
    timed.push({ seconds: now() - start, wait, cpu: (cpu.user + cpu.system) / 1e6 });
    console.error(
      `${i === 0 ? "warm-up" : `step ${i}`}: ${(now() - start).toFixed(1)} s (data wait ${wait.toFixed(2)} s), loss ${step.loss.toFixed(2)}`,
    );
  }
  const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } }).wasm;
  const row: Row = {
    implementation:
      workers === 1
        ? "tfjs wasm (gradientStep + Adam, worker loader)"
        : `tfjs wasm, data-parallel over ${workers} replicas`,
    threads:
      workers === 1 ? "1 + loader worker" : `${workers} (main + ${workers - 1} workers) + loaders`,
    parameters: countParams(model.params),
    stepSeconds: mean(timed.slice(1).map((s) => s.seconds)),
    dataWaitSeconds: mean(timed.slice(1).map((s) => s.wait)),
    warmupSeconds: (timed[0] as { seconds: number }).seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    ...(wasm === undefined ? {} : { wasmHeapMb: wasm.HEAPU8.length / 2 ** 20 }),
    coresBusy: mean(timed.slice(1).map((s) => s.cpu / s.seconds)),
  };
  await pool?.close();
  adam.dispose();
  model.dispose();
  await loader.close();
  return { row, targetLengths };
}
