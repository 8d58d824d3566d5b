/**
 * Forward and forward+backward time of every model kind at its default config,
 * batch 32 of 622 spectrogram frames (emg2qwerty's 10 000-sample window), on
 * the wasm and cpu backends, next to PyTorch's time for emg2qwerty's TDS model
 * when /usr/bin/python3 has torch and emg2qwerty's sources are at /tmp/e2q.
 *
 *     node --import tsx bench/models.bench.ts
 *
 * Each (kind, backend) runs in a child process of its own, so that one that
 * exhausts wasm's 4 GB memory (which aborts the wasm module) is reported and
 * the rest still run. A batch-1 probe first estimates the batch-32 time;
 * configs estimated above two minutes are skipped and say so.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import type { EmgModel } from "../src/model.js";
import { createModel, modelKinds } from "../src/models/registry.js";
import { countParams, flatten } from "../src/params.js";
import { registerGradients } from "./register-gradients.js";

const [FRAMES, BATCH] = [622, 32];
/** Backends and kinds to run, comma-separated (BENCH_BACKENDS, BENCH_KINDS); default all. */
const BACKENDS = (process.env.BENCH_BACKENDS ?? "wasm,cpu").split(",");
const KINDS = process.env.BENCH_KINDS?.split(",") ?? modelKinds;
/** Runs estimated longer than this are skipped (override with BENCH_SKIP_ABOVE_S). */
const SKIP_ABOVE_SECONDS = Number(process.env.BENCH_SKIP_ABOVE_S ?? 120);
const PYTHON = "/usr/bin/python3";
const EMG2QWERTY = "/tmp/e2q";
const thisFile = fileURLToPath(import.meta.url);

interface Measurement {
  kind: string;
  backend: string;
  parameters: number;
  forwardSeconds?: number;
  forwardBackwardSeconds?: number;
  /** Peak resident memory of the measuring process, and the wasm heap's final size (it only grows). */
  peakRssMb?: number;
  wasmHeapMb?: number;
  skipped?: string;
}

function seconds(step: () => void): number {
  const start = performance.now();
  step();
  return (performance.now() - start) / 1000;
}

type Step = "forward" | "forwardBackward";

/** Eval forward, or a training forward + gradients of every parameter; results read back. */
function timeStep(model: EmgModel, step: Step, batch: number): number {
  const x = tf.randomNormal([FRAMES, batch, 2, 16, 33], 0, 1, "float32", 1);
  const variables = flatten<tf.Variable>(model.params).map(([, v]) => v);
  const elapsed = seconds(() => {
    if (step === "forward") {
      const y = model.forward(x, { training: false });
      y.dataSync();
      y.dispose();
      return;
    }
    const { value, grads } = tf.variableGrads(
      () => tf.mean(model.forward(x, { training: true })) as tf.Scalar,
      variables,
    );
    for (const grad of Object.values(grads)) grad.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  });
  x.dispose();
  return elapsed;
}

async function measure(kind: string, backend: string): Promise<Measurement> {
  await registerGradients();
  await tf.setBackend(backend);
  await tf.ready();
  const model = createModel(kind);
  const row: Measurement = { kind, backend, parameters: countParams(model.params) };
  const skipped: string[] = [];
  for (const step of ["forward", "forwardBackward"] as const) {
    // A batch-1 run (which also warms the kernels up) estimates batch 32, time being about
    // linear in N; forward+backward costs more than forward, so a skipped forward skips both.
    const estimate =
      skipped.length > 0 ? Number.POSITIVE_INFINITY : BATCH * timeStep(model, step, 1);
    if (estimate > SKIP_ABOVE_SECONDS) {
      skipped.push(Number.isFinite(estimate) ? `${step} est. ${estimate.toFixed(0)} s` : step);
    } else {
      row[`${step}Seconds`] = timeStep(model, step, BATCH);
    }
  }
  row.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } }).wasm;
  if (wasm !== undefined) row.wasmHeapMb = Math.round(wasm.HEAPU8.length / 2 ** 20);
  if (skipped.length > 0)
    row.skipped = `skipped (> ${SKIP_ABOVE_SECONDS} s): ${skipped.join(", ")}`;
  return row;
}

function runChild(kind: string, backend: string): Measurement {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, thisFile, "--measure", kind, backend],
    { encoding: "utf8", maxBuffer: 1 << 24 },
  );
  const lastLine = child.stdout.trim().split("\n").at(-1) ?? "";
  if (child.status === 0 && lastLine.startsWith("{")) return JSON.parse(lastLine) as Measurement;
  const output = child.stdout + child.stderr;
  const reason = /Aborted|out of memory/i.test(output)
    ? "out of memory"
    : `failed: ${(output.match(/\w*Error: .*/)?.[0] ?? `exit ${child.status}`).slice(0, 100)}`;
  return { kind, backend, parameters: Number.NaN, skipped: reason };
}

function runTorchTds(): Measurement | string {
  if (!existsSync(PYTHON) || !existsSync(`${EMG2QWERTY}/emg2qwerty/modules.py`)) {
    return `PyTorch TDS skipped: needs ${PYTHON} with torch and emg2qwerty at ${EMG2QWERTY} (git archive of the mirror)`;
  }
  const script = fileURLToPath(new URL("../scripts/bench_tds_torch.py", import.meta.url));
  const child = spawnSync(PYTHON, [script, EMG2QWERTY, String(FRAMES), String(BATCH)], {
    encoding: "utf8",
  });
  if (child.status !== 0) return `PyTorch TDS failed: ${child.stderr.trim().split("\n").at(-1)}`;
  const result = JSON.parse(child.stdout.trim().split("\n").at(-1) as string);
  return {
    kind: "tds",
    backend: `torch ${result.torch} (${result.threads} thr, ${result.matmulGflops.toFixed(0)} GFLOP/s matMul)`,
    parameters: result.parameters,
    forwardSeconds: result.forwardSeconds,
    forwardBackwardSeconds: result.forwardBackwardSeconds,
  };
}

function printTable(rows: Measurement[]): void {
  const cell = (value: number | undefined) => (value === undefined ? "-" : value.toFixed(2));
  console.log(`\nbatch ${BATCH} x ${FRAMES} frames, seconds per call (one run each)\n`);
  console.log(
    "| kind | backend | parameters | forward s | forward+backward s | peak RSS MB | wasm heap MB | note |",
  );
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |");
  for (const row of rows) {
    const parameters = Number.isNaN(row.parameters) ? "-" : row.parameters.toLocaleString("en");
    console.log(
      `| ${row.kind} | ${row.backend} | ${parameters} | ${cell(row.forwardSeconds)} | ${cell(row.forwardBackwardSeconds)} | ${row.peakRssMb ?? "-"} | ${row.wasmHeapMb ?? "-"} | ${row.skipped ?? ""} |`,
    );
  }
}

const [flag, measureKind, measureBackend] = process.argv.slice(2);
if (flag === "--measure" && measureKind !== undefined && measureBackend !== undefined) {
  console.log(JSON.stringify(await measure(measureKind, measureBackend)));
} else {
  const rows: Measurement[] = [];
  // wasm first: the default backend's rows are the ones that matter most.
  for (const backend of BACKENDS) {
    for (const kind of KINDS) {
      const row = runChild(kind, backend);
      console.error(`${kind} on ${backend}: ${JSON.stringify(row)}`);
      rows.push(row);
    }
  }
  const torch = process.env.BENCH_TORCH === "0" ? "PyTorch TDS not asked for" : runTorchTds();
  if (typeof torch === "string") console.error(torch);
  else rows.push(torch);
  printTable(rows);
}
