/**
 * ctcLoss value + gradient at T = 500, N = 32, C = 99, S = 40 (emg2qwerty-sized batch) on the
 * tfjs cpu and wasm backends, next to torch.nn.functional.ctc_loss + autograd on the CPU with the
 * same inputs when /usr/bin/python3 has torch. Milliseconds per call, median of several runs.
 *
 *     node --import tsx bench/ctc-loss.bench.ts
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import { ctcLoss } from "../src/loss/ctc-loss.js";
import { randomGenerator } from "../test/random.js";

const PYTHON = "/usr/bin/python3";
const [FRAMES, BATCH, CLASSES, MAX_TARGET, BLANK] = [500, 32, 99, 40, 98];
const WARMUP = 3;
const RUNS = 15;

export interface CtcLossBenchRow {
  implementation: string;
  msPerCall: number;
}

interface BenchInputs {
  logProbs: Float32Array;
  targets: Int32Array;
  targetLengths: Int32Array;
  inputLengths: Int32Array;
}

/** Log-softmax of random logits; padded targets of 30..40 non-blank labels; full input lengths. */
function makeInputs(): BenchInputs {
  const random = randomGenerator(500);
  const logProbs = new Float32Array(FRAMES * BATCH * CLASSES);
  for (let row = 0; row < FRAMES * BATCH; row++) {
    const logits = Array.from({ length: CLASSES }, () => (random() * 2 - 1) * 3);
    const max = Math.max(...logits);
    const logSum = max + Math.log(logits.reduce((sum, x) => sum + Math.exp(x - max), 0));
    for (let c = 0; c < CLASSES; c++) logProbs[row * CLASSES + c] = (logits[c] as number) - logSum;
  }
  const targets = Int32Array.from({ length: BATCH * MAX_TARGET }, () =>
    Math.floor(random() * (CLASSES - 1)),
  );
  const targetLengths = Int32Array.from({ length: BATCH }, () => 30 + Math.floor(random() * 11));
  const inputLengths = new Int32Array(BATCH).fill(FRAMES);
  return { logProbs, targets, targetLengths, inputLengths };
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function timeOurs(backend: "cpu" | "wasm", inputs: BenchInputs): Promise<number> {
  await tf.setBackend(backend);
  await tf.ready();
  const logProbs = tf.tensor3d(inputs.logProbs, [FRAMES, BATCH, CLASSES]);
  const targets = tf.tensor2d(inputs.targets, [BATCH, MAX_TARGET], "int32");
  const lossAndGradient = tf.valueAndGrad((x: tf.Tensor) =>
    ctcLoss(x, targets, inputs.inputLengths, inputs.targetLengths, { blank: BLANK }),
  );
  const times: number[] = [];
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const start = performance.now();
    const { value, grad } = lossAndGradient(logProbs);
    grad.dataSync();
    const elapsed = performance.now() - start;
    tf.dispose([value, grad]);
    if (run >= WARMUP) times.push(elapsed);
  }
  tf.dispose([logProbs, targets]);
  return median(times);
}

const PYTHON_MEASURE = `
import json, sys, time, torch
frames, batch, classes, width, blank, warmup, runs, threads = map(int, sys.argv[2:10])
torch.set_num_threads(threads)
raw = open(sys.argv[1], "rb").read()
count = frames * batch * classes
log_probs = torch.frombuffer(bytearray(raw[: 4 * count]), dtype=torch.float32).reshape(frames, batch, classes)
ints = torch.frombuffer(bytearray(raw[4 * count :]), dtype=torch.int32).long()
targets = ints[: batch * width].reshape(batch, width)
target_lengths = ints[batch * width : batch * width + batch]
input_lengths = ints[batch * width + batch :]
times = []
for run in range(warmup + runs):
    leaf = log_probs.clone().requires_grad_()
    start = time.perf_counter()
    loss = torch.nn.functional.ctc_loss(leaf, targets, input_lengths, target_lengths, blank=blank)
    (grad,) = torch.autograd.grad(loss, leaf)
    elapsed = (time.perf_counter() - start) * 1000
    if run >= warmup:
        times.append(elapsed)
times.sort()
print(json.dumps({"ms": times[len(times) // 2], "loss": loss.item()}))
`;

/** PyTorch's time per call with `threads` threads, or null when python3/torch is unavailable. */
function timeTorch(file: string, threads: number): number | null {
  const args = [FRAMES, BATCH, CLASSES, MAX_TARGET, BLANK, WARMUP, RUNS, threads].map(String);
  const child = spawnSync(PYTHON, ["-c", PYTHON_MEASURE, file, ...args], { encoding: "utf8" });
  if (child.error || child.status !== 0) return null;
  return JSON.parse(child.stdout.trim().split("\n").pop() ?? "null")?.ms ?? null;
}

/** Times ours on both backends and PyTorch (1 thread and all cores) on the same inputs. */
export async function benchCtcLoss(): Promise<CtcLossBenchRow[]> {
  const inputs = makeInputs();
  const rows: CtcLossBenchRow[] = [];
  for (const backend of ["cpu", "wasm"] as const) {
    rows.push({
      implementation: `ctcLoss, tfjs ${backend}`,
      msPerCall: await timeOurs(backend, inputs),
    });
  }
  const directory = mkdtempSync(join(tmpdir(), "ctc-bench-"));
  try {
    const file = join(directory, "inputs.bin");
    const ints = Int32Array.from([
      ...inputs.targets,
      ...inputs.targetLengths,
      ...inputs.inputLengths,
    ]);
    writeFileSync(
      file,
      Buffer.concat([Buffer.from(inputs.logProbs.buffer), Buffer.from(ints.buffer)]),
    );
    for (const threads of new Set([1, cpus().length])) {
      const ms = timeTorch(file, threads);
      if (ms === null) {
        console.warn(`skipping PyTorch: ${PYTHON} with torch not available`);
        break;
      }
      rows.push({ implementation: `torch ctc_loss CPU, ${threads} thread(s)`, msPerCall: ms });
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await benchCtcLoss();
  console.log(
    `CTC loss + gradient, T=${FRAMES} N=${BATCH} C=${CLASSES} S<=${MAX_TARGET}, median of ${RUNS}`,
  );
  console.log("| implementation | ms per call |\n|---|---:|");
  for (const row of rows) console.log(`| ${row.implementation} | ${row.msPerCall.toFixed(1)} |`);
}
