/**
 * emgkit's one benchmark table (`pnpm bench` at the repository root):
 *
 * - one training step (`gradientStep` + `Adam`, as `fit` runs it) of every model kind at its
 *   registry defaults, on a batch of emg2qwerty's 10 000-sample windows (8000 + padding
 *   (1800, 200): 622 spectrogram frames) of random log-spectrograms with random targets;
 * - the TDS step data-parallel over one replica per core (`fit`'s `--workers auto` step,
 *   `bench/tds-step.ts`), batch 32 from simulated sessions through the worker loader;
 * - the same TDS step in PyTorch (emg2qwerty's own modules, `scripts/bench_train_step_torch.py`)
 *   in the same run, when /usr/bin/python3 has torch and emg2qwerty's sources are at
 *   BENCH_EMG2QWERTY (default /tmp/e2q), with the ratios ours / PyTorch (one thread, and data-parallel);
 * - streaming inference of causal models (`bench/streaming-inference.ts`): raw EMG in 40 ms, 200 ms and
 *   1 s chunks through `StreamingSpectrogram` and `EmissionEngine`, as x real time on one core,
 *   checked against `model.forward`; under the table, one push of each profiled (matrix
 *   products and convolutions with their FLOPs, the other kernels, the rest);
 * - under the table, the TDS step's kernels (`tf.profile`) aggregated by name, top 10 by time;
 * - then the same rows on a GPU backend when one is installed (`@tensorflow/tfjs-node-gpu`, or
 *   `@tensorflow/tfjs-backend-webgpu` with the `webgpu` (Dawn) package), else a line saying none.
 *
 *     node --import tsx bench/emgkit.bench.ts
 *
 * Environment: BENCH_MODELS (comma-separated kinds, default all; empty for none), BENCH_BATCH (batch of every
 * kind; default 32 for TDS and 8 for the others, so that the default run takes about ten
 * minutes on two cores), BENCH_STEPS (timed steps after one warm-up, median reported; default 2),
 * BENCH_TORCH=0, BENCH_TORCH_STEPS (default 1), BENCH_STREAM=0, BENCH_STREAM_SECONDS (EMG streamed per row, default 10),
 * BENCH_STREAM_MODELS (default all of `STREAM_MODELS`), BENCH_STREAM_CHUNKS_MS (default "40,200,1000"),
 * BENCH_PROFILE=0, BENCH_GPU=0. Each row runs in a child process of its own, so its peak RSS
 * and wasm heap (which only grows) are its own and one that runs out of memory is reported.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { charset } from "@emgkit/emg-io";
import { countParams, createModel, flatten, modelKinds } from "@emgkit/models";
import * as tf from "@tensorflow/tfjs-core";
import { registerGradients } from "../../models/bench/register-gradients.js";
import type { Batch } from "../src/data/collate.js";
import { Adam } from "../src/optim/adam.js";
import { useBackend } from "../src/train/backend.js";
import { measureStream, STREAM_MODELS, type StreamRow } from "./streaming-inference.js";
import type { Row as TdsStepRow } from "./tds-step.js";

const FRAMES = 622;
const STEPS = Number(process.env.BENCH_STEPS ?? 2);
/** PyTorch's timed steps: 1 by default, Debian's reference BLAS taking about 3 minutes a step. */
const TORCH_STEPS = Number(process.env.BENCH_TORCH_STEPS ?? 1);
const STREAM_SECONDS = Number(process.env.BENCH_STREAM_SECONDS ?? 10);
const STREAM_CHUNKS_MS = (process.env.BENCH_STREAM_CHUNKS_MS ?? "40,200,1000")
  .split(",")
  .map(Number);
const PYTHON = "/usr/bin/python3";
const EMG2QWERTY = process.env.BENCH_EMG2QWERTY ?? "/tmp/e2q";
const LR = 1e-3;
const thisFile = fileURLToPath(import.meta.url);

const batchOf = (kind: string) =>
  process.env.BENCH_BATCH === undefined
    ? kind === "tds"
      ? 32
      : 8
    : Number(process.env.BENCH_BATCH);

interface TrainRow {
  kind: string;
  backend: string;
  batch: number;
  parameters: number;
  stepSeconds: number[];
  warmupSeconds: number;
  peakRssMb: number;
  wasmHeapMb?: number;
  load: number;
  /** Kernel name, summed milliseconds and calls over the profiled (warm-up) step. */
  profile?: Array<{ name: string; ms: number; calls: number }>;
  profiledStepSeconds?: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const now = () => performance.now() / 1000;
const load1 = () => Number(loadavg()[0]?.toFixed(1));
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
function wasmHeapMb(): number | undefined {
  const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } }).wasm;
  return wasm === undefined ? undefined : Math.round(wasm.HEAPU8.length / 2 ** 20);
}

/** A deterministic standard-normal source (Box-Muller over a 32-bit LCG). */
function normals(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 1) / 4294967297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Target lengths 20..40 (emg2qwerty's 4 s windows hold about 30 keys), labels off the blank. */
function syntheticBatch(batch: number): Batch {
  const random = normals(1);
  const inputs = new Float32Array(FRAMES * batch * 2 * 16 * 33).map(() => random());
  const targetLengths = Int32Array.from({ length: batch }, (_, i) => 20 + ((i * 7) % 21));
  const S = Math.max(...targetLengths);
  const targets = new Int32Array(batch * S);
  for (let n = 0; n < batch; n++) {
    for (let s = 0; s < (targetLengths[n] as number); s++) {
      const label = (n * 31 + s * 17) % (charset.numClasses - 1);
      targets[n * S + s] = label >= charset.nullClass ? label + 1 : label;
    }
  }
  return {
    inputs,
    shape: [FRAMES, batch, 2, 16, 33],
    inputLengths: new Int32Array(batch).fill(FRAMES),
    targets,
    targetLengths,
  };
}

/** Makes `backend` active: wasm, cpu, node-gpu (trainer's `useBackend`), or webgpu. */
async function activate(backend: string): Promise<void> {
  if (backend !== "webgpu") return useBackend(backend as Parameters<typeof useBackend>[0]);
  await installNodeWebGpu();
  await import("@tensorflow/tfjs-backend-webgpu" as string);
  if (!(await tf.setBackend("webgpu"))) throw new Error("webgpu backend failed to initialise");
  await tf.ready();
}

/** `navigator.gpu` from the `webgpu` (Dawn) package when Node has none; throws without it. */
async function installNodeWebGpu(): Promise<void> {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu !== undefined) return;
  const dawn = (await import("webgpu" as string)) as {
    create(options: string[]): unknown;
    globals: object;
  };
  Object.assign(globalThis, dawn.globals);
  Object.defineProperty(globalThis, "navigator", {
    value: { ...(g.navigator ?? {}), gpu: dawn.create([]) },
    configurable: true,
  });
}

async function measureTrainStep(
  kind: string,
  backend: string,
  profile: boolean,
): Promise<TrainRow> {
  await registerGradients();
  const { gradientStep } = await import("../src/train/ctc-step.js");
  await activate(backend);
  const batch = syntheticBatch(batchOf(kind));
  const model = createModel(kind, {}, 0);
  const adam = new Adam(flatten<tf.Variable>(model.params));
  const step = () => {
    const output = gradientStep(model, batch);
    adam.apply(output.grads, LR);
    tf.dispose([...output.grads.values()]);
  };
  const row: TrainRow = {
    kind,
    backend,
    batch: batch.shape[1],
    parameters: countParams(model.params),
    stepSeconds: [],
    warmupSeconds: 0,
    peakRssMb: 0,
    load: 0,
  };
  // The warm-up step is the profiled one: profiling times every kernel on its own, which would
  // bias a timed step, and the warm-up's only extra is the wasm heap's growth.
  let start = now();
  if (profile) {
    const info = await tf.profile(step);
    const byName = new Map<string, { ms: number; calls: number }>();
    // Only kernels registered for the backend: custom gradients and ops ("unnamed scope",
    // "forward", "logSoftmax__op") are recorded too, with their inner kernels' time.
    const backendName = tf.getBackend();
    for (const kernel of info.kernels) {
      if (tf.getKernel(kernel.name, backendName) === undefined) continue;
      const ms = await Promise.resolve(kernel.kernelTimeMs as number | { error: string });
      const entry = byName.get(kernel.name) ?? { ms: 0, calls: 0 };
      entry.ms += typeof ms === "number" ? ms : 0;
      entry.calls += 1;
      byName.set(kernel.name, entry);
    }
    row.profile = [...byName]
      .map(([name, entry]) => ({ name, ...entry }))
      .sort((a, b) => b.ms - a.ms);
  } else step();
  row.warmupSeconds = now() - start;
  if (profile) row.profiledStepSeconds = row.warmupSeconds;
  console.error(`${kind} ${backend} batch ${row.batch}: warm-up ${row.warmupSeconds.toFixed(1)} s`);
  for (let i = 0; i < STEPS; i++) {
    start = now();
    step();
    row.stepSeconds.push(now() - start);
    console.error(`${kind} ${backend}: step ${i + 1} ${(now() - start).toFixed(1)} s`);
  }
  row.peakRssMb = peakRssMb();
  const heap = wasmHeapMb();
  if (heap !== undefined) row.wasmHeapMb = heap;
  row.load = load1();
  adam.dispose();
  model.dispose();
  return row;
}

// ---------------------------------------------------------------------------------------------
// Orchestration (parent): children, PyTorch, GPU detection, the table

/** `tds-step.ts`'s row, with the load average at its end. */
type ParallelRow = TdsStepRow & { load: number };

function child(args: string[]): TrainRow | StreamRow | ParallelRow | string {
  const run = spawnSync(process.execPath, [...process.execArgv, thisFile, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const last = run.stdout.trim().split("\n").at(-1) ?? "";
  if (run.status === 0 && last.startsWith("{")) return JSON.parse(last);
  return run.signal !== null || /abort|memory/i.test(run.stdout)
    ? `failed (${run.signal ?? "out of memory"})`
    : `failed (exit ${run.status})`;
}

interface TorchRow {
  label: string;
  parameters: number;
  stepSeconds: number;
  peakRssMb: number;
  load: number;
}

function measureTorch(batch: number): TorchRow | string {
  if (!existsSync(PYTHON)) return `PyTorch: not available (no ${PYTHON})`;
  if (spawnSync(PYTHON, ["-c", "import torch"]).status !== 0) {
    return `PyTorch: not available (${PYTHON} has no torch; apt-get install python3-torch)`;
  }
  if (!existsSync(`${EMG2QWERTY}/emg2qwerty/modules.py`)) {
    return `PyTorch: not available (emg2qwerty's sources are not at ${EMG2QWERTY}; set BENCH_EMG2QWERTY or: mkdir -p ${EMG2QWERTY} && git --git-dir=<emg2qwerty clone>/.git archive HEAD emg2qwerty | tar -x -C ${EMG2QWERTY})`;
  }
  const lengths = Array.from({ length: batch }, (_, i) => 20 + ((i * 7) % 21));
  const script = fileURLToPath(new URL("../scripts/bench_train_step_torch.py", import.meta.url));
  const run = spawnSync(
    PYTHON,
    [
      script,
      ...["--emg2qwerty", EMG2QWERTY, "--frames", String(FRAMES), "--batch", String(batch)],
      ...["--target-lengths", lengths.join(","), "--steps", String(TORCH_STEPS)],
      ...["--classes", String(charset.numClasses), "--blank", String(charset.nullClass)],
    ],
    { encoding: "utf8" },
  );
  if (run.status !== 0) return `PyTorch: failed (${run.stderr.trim().split("\n").at(-1)})`;
  const result = JSON.parse(run.stdout.trim().split("\n").at(-1) as string);
  return {
    label: `PyTorch ${result.torch} CPU, ${result.threads} thread${result.threads === 1 ? "" : "s"} (${result.matmulGflops.toFixed(0)} GFLOP/s matMul)`,
    parameters: result.parameters,
    stepSeconds: median(result.stepSeconds),
    peakRssMb: Math.round(result.peakRssMb),
    load: load1(),
  };
}

/** The GPU backends installed here, or why there are none. */
async function detectGpu(): Promise<{ backends: string[]; none?: string }> {
  if (process.env.BENCH_GPU === "0")
    return { backends: [], none: "GPU: not asked for (BENCH_GPU=0)" };
  const backends: string[] = [];
  try {
    await import("@tensorflow/tfjs-node-gpu" as string);
    backends.push("node-gpu");
  } catch {}
  try {
    await import("@tensorflow/tfjs-backend-webgpu" as string);
    await installNodeWebGpu();
    backends.push("webgpu");
  } catch {}
  return backends.length > 0
    ? { backends }
    : { backends, none: "GPU: none (no @tensorflow/tfjs-node-gpu or WebGPU backend here)" };
}

const fixed = (value: number | undefined, digits = 1) =>
  value === undefined ? "-" : value.toFixed(digits);
const thousands = (n: number) => n.toLocaleString("en").replaceAll(",", " ");

async function main(): Promise<void> {
  const kinds = process.env.BENCH_MODELS?.split(",").filter((kind) => kind !== "") ?? [
    ...modelKinds,
  ];
  const gpu = await detectGpu();
  const backends = ["wasm", ...gpu.backends];
  const lines: string[] = [];
  const notes: string[] = [];
  const profiles: Array<{ backend: string; row: TrainRow }> = [];
  const streams: StreamRow[] = [];
  const startLoad = load1();
  const started = now();

  for (const backend of backends) {
    let tdsSeconds: number | undefined;
    let tdsBatch = 0;
    for (const kind of kinds) {
      const profile = kind === "tds" && process.env.BENCH_PROFILE !== "0";
      const row = child(["--train", kind, backend, profile ? "profile" : ""]);
      if (typeof row === "string") {
        lines.push(
          `| train step | ${kind} | - | ${batchOf(kind)} | ${row} | - | - | - | ${backend} | ${load1()} |`,
        );
        continue;
      }
      const r = row as TrainRow;
      const seconds = median(r.stepSeconds);
      if (kind === "tds") [tdsSeconds, tdsBatch] = [seconds, r.batch];
      if (r.profile !== undefined) profiles.push({ backend, row: r });
      lines.push(
        `| train step | ${kind} | ${thousands(r.parameters)} | ${r.batch} | ${seconds.toFixed(1)} s | ${(r.batch / seconds).toFixed(2)} windows/s | ${thousands(r.peakRssMb)} | ${r.wasmHeapMb ?? "-"} | ${backend} | ${r.load} |`,
      );
    }
    let parallelSeconds: number | undefined;
    const replicas = cpus().length;
    if (backend === "wasm" && kinds.includes("tds") && replicas > 1) {
      const row = child(["--train-parallel", "tds", backend, String(replicas)]);
      if (typeof row === "string") {
        lines.push(`| train step, data-parallel | tds | - | 32 | ${row} | - | - | - | wasm | - |`);
      } else {
        const r = row as ParallelRow;
        parallelSeconds = r.stepSeconds;
        const speedUp =
          tdsSeconds === undefined
            ? ""
            : `; ${(tdsSeconds / r.stepSeconds).toFixed(2)}x the step above`;
        lines.push(
          `| train step, data-parallel (\`--workers auto\`) | tds over ${replicas} replicas, simulated sessions through the loader | ${thousands(r.parameters)} | 32 | ${r.stepSeconds.toFixed(1)} s | ${(32 / r.stepSeconds).toFixed(2)} windows/s${speedUp} | ${thousands(Math.round(r.peakRssMb))} | ${r.wasmHeapMb?.toFixed(0) ?? "-"} | wasm x ${replicas} | ${r.load} |`,
        );
      }
    }
    if (backend === "wasm" && kinds.includes("tds") && process.env.BENCH_TORCH !== "0") {
      const torch = measureTorch(tdsBatch || batchOf("tds"));
      if (typeof torch === "string") notes.push(torch);
      else {
        const versus = (seconds: number | undefined, what: string) =>
          seconds === undefined ? [] : [`${(seconds / torch.stepSeconds).toFixed(2)} (${what})`];
        const ratios = [
          ...versus(tdsSeconds, "1 thread"),
          ...versus(parallelSeconds, `${replicas} replicas`),
        ];
        const ratio = ratios.length === 0 ? "-" : `ours / PyTorch = ${ratios.join(", ")}`;
        lines.push(
          `| train step | tds (${torch.label}) | ${thousands(torch.parameters)} | ${tdsBatch} | ${torch.stepSeconds.toFixed(1)} s | ${(tdsBatch / torch.stepSeconds).toFixed(2)} windows/s; ${ratio} | ${thousands(torch.peakRssMb)} | - | torch | ${torch.load} |`,
        );
      }
    }
    if (process.env.BENCH_STREAM !== "0") {
      const models = process.env.BENCH_STREAM_MODELS?.split(",") ?? Object.keys(STREAM_MODELS);
      for (const model of models) {
        for (const chunkMs of STREAM_CHUNKS_MS) {
          const row = child(["--stream", model, backend, String(chunkMs)]);
          if (typeof row === "string") {
            lines.push(
              `| streaming, ${chunkMs} ms chunks | ${model} | - | 1 | ${row} | - | - | - | ${backend} | ${load1()} |`,
            );
            continue;
          }
          const r = row as StreamRow;
          streams.push(r);
          lines.push(
            `| streaming, ${chunkMs} ms chunks | ${r.label} | ${thousands(r.parameters)} | 1 | ${r.pushMsMean.toFixed(2)} ms / chunk (p95 ${r.pushMsP95.toFixed(2)}) | ${(r.emgSeconds / r.computeSeconds).toFixed(1)}x real time (max diff vs forward ${r.maxAbsDiff.toExponential(1)}) | ${thousands(r.peakRssMb)} | - | ${backend} | ${r.load} |`,
          );
        }
      }
    }
  }

  const batchNote =
    process.env.BENCH_BATCH === undefined
      ? "batch 32 for TDS, 8 for the other kinds"
      : `batch ${process.env.BENCH_BATCH}`;
  console.log(
    `\nemgkit benchmark: one training step (gradientStep + Adam) per model kind at its defaults, ${batchNote}, of 622-frame windows (8000 samples + padding (1800, 200)), random inputs and targets; median of ${STEPS} step(s) after a warm-up (PyTorch: ${TORCH_STEPS}); streaming: ${STREAM_SECONDS} s of random EMG per row, one core`,
  );
  console.log(
    `${cpus().length} x ${cpus()[0]?.model ?? "?"}, Node ${process.version}, tfjs-core ${tf.version_core}, load average ${startLoad} at start, ${load1()} at end, ${((now() - started) / 60).toFixed(1)} min\n`,
  );
  console.log(
    "| row | model | parameters | batch | time | throughput | peak RSS MB | wasm heap MB | backend | load avg |",
  );
  console.log("| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | --- | ---: |");
  for (const line of lines) console.log(line);
  console.log("");
  for (const note of notes) console.log(note);
  if (gpu.none !== undefined) console.log(gpu.none);
  for (const { backend, row } of profiles) {
    const profile = row.profile ?? [];
    const total = profile.reduce((sum, k) => sum + k.ms, 0);
    console.log(
      `\nTDS step profile (${backend}, batch ${row.batch}, the warm-up step under tf.profile: ${fixed(row.profiledStepSeconds)} s wall, ${(total / 1000).toFixed(1)} s in ${profile.reduce((n, k) => n + k.calls, 0)} kernels); top 10 kernels by time:\n`,
    );
    console.log("| kernel | calls | seconds | share of kernel time |");
    console.log("| --- | ---: | ---: | ---: |");
    for (const kernel of profile.slice(0, 10)) {
      console.log(
        `| ${kernel.name} | ${kernel.calls} | ${(kernel.ms / 1000).toFixed(2)} | ${((100 * kernel.ms) / total).toFixed(1)}% |`,
      );
    }
  }
  if (streams.length > 0) {
    console.log(
      "\nStreaming, one push profiled per row (after the timed stream): matMul and conv kernels with their FLOPs, the other kernels, and the rest of the push (tfjs dispatch, tensor upload and download, the spectrogram). Ceiling: the x real time if each second's matMul and conv FLOPs (125 frames) ran at the backend's rate on a large matMul and nothing else cost.\n",
    );
    console.log(
      "| model | chunk | frames | push ms | kernels | matMul + conv MFLOP / frame | matMul + conv ms (GFLOP/s) | other kernels ms | rest ms | ceiling |",
    );
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const r of streams) {
      const p = r.profile;
      const perFrame = p.denseFlops / p.frames / 1e6;
      const rate = p.denseFlops / (p.denseMs * 1e6);
      const ceiling = 1000 / ((perFrame * 125) / r.peakGflops);
      console.log(
        `| ${r.model} | ${r.chunkMs} ms | ${p.frames} | ${p.wallMs.toFixed(2)} | ${p.kernels} | ${perFrame.toFixed(2)} | ${p.denseMs.toFixed(2)} (${rate.toFixed(1)}) | ${p.otherKernelMs.toFixed(2)} | ${(p.wallMs - p.denseMs - p.otherKernelMs).toFixed(2)} | ${ceiling.toFixed(0)}x at ${r.peakGflops.toFixed(1)} GFLOP/s (${r.backend}) |`,
      );
    }
  }
}

const [mode, kind, backend, extra] = process.argv.slice(2);
if (mode === "--train") {
  console.log(
    JSON.stringify(await measureTrainStep(kind as string, backend as string, extra === "profile")),
  );
} else if (mode === "--train-parallel") {
  const { measureTdsStep, simulateBenchSessions } = await import("./tds-step.js");
  const dir = mkdtempSync(join(tmpdir(), "emgkit-bench-"));
  try {
    const { row } = await measureTdsStep(await simulateBenchSessions(dir), Number(extra), STEPS);
    console.log(JSON.stringify({ ...row, load: load1() }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else if (mode === "--stream") {
  const row = await measureStream(
    kind as string,
    Number(extra),
    STREAM_SECONDS,
    backend as string,
    activate,
  );
  console.log(JSON.stringify({ ...row, load: load1() }));
} else {
  await main();
}
