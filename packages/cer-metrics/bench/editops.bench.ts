/**
 * editOps speed and peak extra memory on 1k/5k/20k-character pairs at ~30% error, next to
 * python-Levenshtein's editops on the same pairs when /usr/bin/python3 has it.
 * Each measurement runs in a fresh process so its peak RSS growth belongs to that call.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { editOps } from "../src/index.js";
import { noisyPair } from "./pairs.js";

const SIZES = [1_000, 5_000, 20_000];
const ERROR_RATE = 0.3;
const PYTHON = "/usr/bin/python3";

interface Measurement {
  bestMs: number;
  extraMiB: number;
  errors: number;
}

const repeatsFor = (size: number) => (size <= 1_000 ? 20 : size <= 5_000 ? 5 : 2);

/** Child mode: time editOps on the pair in `file`, report best time and peak RSS growth. */
function measureOurs(file: string, repeats: number): Measurement {
  const { prediction, target } = JSON.parse(readFileSync(file, "utf8"));
  editOps("warm up the compiler", "warm the compiler up");
  const rssBefore = process.resourceUsage().maxRSS;
  let bestMs = Number.POSITIVE_INFINITY;
  let errors = 0;
  for (let run = 0; run < repeats; run++) {
    const start = performance.now();
    const counts = editOps(prediction, target);
    bestMs = Math.min(bestMs, performance.now() - start);
    errors = counts.insertions + counts.deletions + counts.substitutions;
  }
  const extraMiB = (process.resourceUsage().maxRSS - rssBefore) / 1024;
  return { bestMs, extraMiB, errors };
}

const PYTHON_MEASURE = `
import json, resource, sys, time, Levenshtein
pair = json.load(open(sys.argv[1], encoding="utf8"))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
best = float("inf")
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    ops = Levenshtein.editops(pair["prediction"], pair["target"])
    best = min(best, (time.perf_counter() - start) * 1000)
extra = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps({"bestMs": best, "extraMiB": extra, "errors": len(ops)}))
`;

function runChild(command: string, args: string[]): Measurement | null {
  const child = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 20 });
  if (child.status !== 0 || child.error) return null;
  return JSON.parse(child.stdout.trim().split("\n").pop() ?? "null");
}

function main() {
  const [mode, file, repeats] = process.argv.slice(2);
  if (mode === "--child" && file && repeats) {
    console.log(JSON.stringify(measureOurs(file, Number(repeats))));
    return;
  }
  const self = fileURLToPath(import.meta.url);
  const directory = mkdtempSync(join(tmpdir(), "cer-metrics-bench-"));
  const hasPython = spawnSync(PYTHON, ["-c", "import Levenshtein"]).status === 0;
  const rows: string[][] = [];
  try {
    for (const size of SIZES) {
      const file = join(directory, `pair-${size}.json`);
      writeFileSync(file, JSON.stringify(noisyPair(size, ERROR_RATE, size)));
      const repeats = String(repeatsFor(size));
      const ours = runChild(process.execPath, [
        ...process.execArgv,
        self,
        "--child",
        file,
        repeats,
      ]);
      const python = hasPython ? runChild(PYTHON, ["-c", PYTHON_MEASURE, file, repeats]) : null;
      if (ours === null) throw new Error(`benchmark child failed for ${size} characters`);
      if (python !== null && python.errors !== ours.errors) {
        throw new Error(
          `edit distance differs from python at ${size}: ${ours.errors} vs ${python.errors}`,
        );
      }
      rows.push([
        String(size),
        String(ours.errors),
        ours.bestMs.toFixed(1),
        ours.extraMiB.toFixed(1),
        python ? python.bestMs.toFixed(1) : "n/a",
        python ? python.extraMiB.toFixed(1) : "n/a",
      ]);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  const header = ["chars", "edits", "ours ms", "ours MiB", "python ms", "python MiB"];
  console.log(`editOps vs python-Levenshtein editops, ~${ERROR_RATE * 100}% errors, best of runs`);
  if (!hasPython) console.log(`(${PYTHON} with Levenshtein not found: python columns skipped)`);
  for (const row of [header, ...rows]) {
    console.log(row.map((cell) => cell.padStart(11)).join(""));
  }
}

main();
