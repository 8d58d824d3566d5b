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
import * as tf from "@tensorflow/tfjs-core";
import { BATCH, mean, measureTdsStep, type Row, simulateBenchSessions } from "./tds-step.js";

const STEPS = Number(process.env.BENCH_STEPS ?? 2);
const TORCH_STEPS = Number(process.env.BENCH_TORCH_STEPS ?? STEPS);
const TORCH_THREADS = (process.env.BENCH_TORCH_THREADS ?? "default,2").split(",");
const WORKERS = (process.env.BENCH_WORKERS ?? "1").split(",").map(Number);
const PYTHON = "/usr/bin/python3";
const EMG2QWERTY = "/tmp/e2q";

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
  const paths = await simulateBenchSessions(dir);
  const rows: Row[] = [];
  let targetLengths: number[] = [];
  for (const workers of WORKERS) {
    const measured = await measureTdsStep(paths, workers, STEPS);
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
