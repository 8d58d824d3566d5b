/**
 * Training throughput of the default TDS model: batch 32 of emg2qwerty's
 * 10 000-sample windows (8000 + padding (1800, 200), 622 spectrogram frames),
 * loaded by the worker-thread loader with emg2qwerty's train transforms from a
 * small simulated dataset, `gradientStep` + `Adam` on the wasm backend; then the
 * same step in PyTorch (emg2qwerty's own modules, CPU) when /usr/bin/python3 has
 * torch and emg2qwerty's sources are at /tmp/e2q.
 *
 *     node --import tsx bench/train-step.bench.ts
 *
 * One warm-up step, then BENCH_STEPS (default 2) timed steps; the next batch is
 * requested before each step, as `fit` does, so "data wait" is the time a step
 * waited for its batch. BENCH_TORCH=0 skips PyTorch; BENCH_TORCH_THREADS
 * (default "default,2") lists its thread counts; BENCH_TORCH_STEPS (default
 * BENCH_STEPS) its timed steps.
 *
 * BENCH_WORKERS (default "1") lists data-parallel replica counts to measure,
 * e.g. "1,2": with n > 1 the step is `fit`'s data-parallel step (the main
 * thread computes shard 0 and n - 1 replica workers the others, gradients
 * averaged through shared memory, then the same Adam update everywhere), on
 * the same batches; the table gives each count's speed-up over the first.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { charset } from "@emgkit/emg-io";
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

const BATCH = 32;
const WINDOW = 8000;
const PADDING: [number, number] = [1800, 200];
const STEPS = Number(process.env.BENCH_STEPS ?? 2);
const TORCH_STEPS = Number(process.env.BENCH_TORCH_STEPS ?? STEPS);
const TORCH_THREADS = (process.env.BENCH_TORCH_THREADS ?? "default,2").split(",");
const WORKERS = (process.env.BENCH_WORKERS ?? "1").split(",").map(Number);
const LR = 1e-3;
const PYTHON = "/usr/bin/python3";
const EMG2QWERTY = "/tmp/e2q";

interface Row {
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

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
const now = () => performance.now() / 1000;

async function measureTfjs(
  paths: string[],
  workers: number,
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
  if (fullPlan.length < STEPS + 1) {
    throw new Error(
      `${loader.length} windows make ${fullPlan.length} full batches, need ${STEPS + 1}`,
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
  const steps: Array<{ seconds: number; wait: number; cpu: number }> = [];
  let targetLengths: number[] = [];
  let next: Promise<Batch> | null = loader.load(plan[0] as (typeof plan)[number]);
  for (let i = 0; i <= STEPS; i++) {
    const start = now();
    const cpuStart = process.cpuUsage();
    const batch = await (next as Promise<Batch>);
    const wait = now() - start;
    next = i < STEPS ? loader.load(plan[i + 1] as (typeof plan)[number]) : null;
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
    steps.push({ seconds: now() - start, wait, cpu: (cpu.user + cpu.system) / 1e6 });
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
    stepSeconds: mean(steps.slice(1).map((s) => s.seconds)),
    dataWaitSeconds: mean(steps.slice(1).map((s) => s.wait)),
    warmupSeconds: (steps[0] as { seconds: number }).seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    ...(wasm === undefined ? {} : { wasmHeapMb: wasm.HEAPU8.length / 2 ** 20 }),
    coresBusy: mean(steps.slice(1).map((s) => s.cpu / s.seconds)),
  };
  await pool?.close();
  adam.dispose();
  model.dispose();
  await loader.close();
  return { row, targetLengths };
}

function measureTorch(threads: string, targetLengths: number[]): Row | string {
  if (!existsSync(PYTHON)) return `PyTorch skipped: no ${PYTHON}`;
  if (!existsSync(`${EMG2QWERTY}/emg2qwerty/modules.py`)) {
    return `PyTorch skipped: emg2qwerty's sources are not at ${EMG2QWERTY} (mkdir -p ${EMG2QWERTY} && git --git-dir=<emg2qwerty mirror> archive HEAD emg2qwerty | tar -x -C ${EMG2QWERTY})`;
  }
  const probe = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" });
  if (probe.status !== 0)
    return `PyTorch skipped: ${PYTHON} has no torch (apt install python3-torch)`;
  const script = fileURLToPath(new URL("../scripts/bench_train_step_torch.py", import.meta.url));
  const args = [
    script,
    ...["--emg2qwerty", EMG2QWERTY, "--frames", "622", "--batch", String(BATCH)],
    ...["--target-lengths", targetLengths.join(","), "--steps", String(TORCH_STEPS)],
    ...["--classes", String(charset.numClasses), "--blank", String(charset.nullClass)],
    ...(threads === "default" ? [] : ["--threads", threads]),
  ];
  const child = spawnSync(PYTHON, args, { encoding: "utf8" });
  if (child.status !== 0) {
    return `PyTorch (${threads} threads) failed: ${child.stderr.trim().split("\n").at(-1)}`;
  }
  const result = JSON.parse(child.stdout.trim().split("\n").at(-1) as string);
  return {
    implementation: `PyTorch ${result.torch} CPU (${result.matmulGflops.toFixed(0)} GFLOP/s matMul)`,
    threads: `${result.threads}${threads === "default" ? " (default)" : ""}`,
    parameters: result.parameters,
    stepSeconds: mean(result.stepSeconds),
    dataWaitSeconds: 0,
    warmupSeconds: result.warmupSeconds,
    peakRssMb: result.peakRssMb,
  };
}

function printTable(rows: Row[]): void {
  const reference = rows[0] as Row;
  console.log(
    `\nTDS, batch ${BATCH} x 10 000-sample windows (622 frames, fewer after the train jitter's band shift); ${STEPS} timed step(s) after a warm-up (PyTorch: ${TORCH_STEPS})`,
  );
  console.log(
    `${cpus().length} x ${cpus()[0]?.model ?? "?"}, load average ${loadavg()[0]?.toFixed(1)}, Node ${process.version}, tfjs-core ${tf.version_core}\n`,
  );
  console.log(
    "| implementation | threads | parameters | s / step | of which data wait s | windows/s | cores busy | warm-up s | peak RSS MB | wasm heap MB | speed vs tfjs |",
  );
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const row of rows) {
    console.log(
      `| ${row.implementation} | ${row.threads} | ${row.parameters.toLocaleString("en")} | ${row.stepSeconds.toFixed(1)} | ${row.dataWaitSeconds.toFixed(2)} | ${(BATCH / row.stepSeconds).toFixed(2)} | ${row.coresBusy?.toFixed(2) ?? "-"} | ${row.warmupSeconds.toFixed(1)} | ${row.peakRssMb.toFixed(0)} | ${row.wasmHeapMb?.toFixed(0) ?? "-"} | ${(reference.stepSeconds / row.stepSeconds).toFixed(2)} |`,
    );
  }
}

const dir = mkdtempSync(join(tmpdir(), "emgkit-train-bench-"));
try {
  const dataDir = join(dir, "data");
  console.error(`simulating 2 users x 3 sessions x 2 min into ${dataDir}`);
  const data = await simulate({
    outDir: dataDir,
    users: 2,
    sessionsPerUser: 3,
    minutesPerSession: 2,
    seed: 1,
  });
  const paths = data.sessions.map((session) => session.path);
  const rows: Row[] = [];
  let targetLengths: number[] = [];
  for (const workers of WORKERS) {
    const measured = await measureTfjs(paths, workers);
    rows.push(measured.row);
    targetLengths = measured.targetLengths;
    console.error(JSON.stringify(measured.row));
  }
  if (process.env.BENCH_TORCH === "0") console.error("PyTorch not asked for (BENCH_TORCH=0)");
  else {
    for (const threads of TORCH_THREADS) {
      const torch = measureTorch(threads, targetLengths);
      console.error(typeof torch === "string" ? torch : JSON.stringify(torch));
      if (typeof torch === "string") {
        if (torch.includes("skipped")) break;
      } else rows.push(torch);
    }
  }
  printTable(rows);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
