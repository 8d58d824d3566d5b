import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import {
  type ComparedRun,
  type EvalRecord,
  formatErrorRate,
  type MetricsRecord,
  parseMetrics,
  runPaths,
} from "@emgkit/trainer/node";
import type { ConfigTree } from "../config.js";
import { type RunResult, runDirOf, type Sweep } from "./sweep.js";

/** An evaluation record of a finished run, with its speed (see tasks.ts). */
export type RunEvaluation = EvalRecord & { realTimeFactor?: number };

/** The run's evaluation of `phase` with `decoder` (`greedy` or `beam`), if it made one. */
export function evaluationOf(
  result: RunResult | undefined,
  phase: EvalRecord["phase"],
  decoder: string,
): RunEvaluation | undefined {
  const evaluations = (result?.evaluations ?? []) as RunEvaluation[];
  return evaluations.find((e) => e.phase === phase && e.decoder === decoder);
}

/** A run's metrics.jsonl records (none when it never started). */
export async function runRecords(dir: string, name: string): Promise<MetricsRecord[]> {
  const path = runPaths(runDirOf(dir, name)).metrics;
  if (!existsSync(path)) return [];
  return parseMetrics(await readFile(path, "utf8"));
}

/** Each named run's records, for comparison charts. */
export async function comparedRuns(
  dir: string,
  runs: ReadonlyArray<{ name: string; label: string }>,
): Promise<ComparedRun[]> {
  const out: ComparedRun[] = [];
  for (const run of runs) out.push({ name: run.label, records: await runRecords(dir, run.name) });
  return out;
}

/** Mean and sample standard deviation (n - 1); sd is NaN for fewer than two values. */
export function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, sd: Number.NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, sd: Number.NaN };
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, sd: Math.sqrt(variance) };
}

/** `55.57 ± 4.40`, or the mean alone for one value, or the missing mark for none. */
export function formatMeanSd(values: readonly number[]): string {
  const { mean, sd } = meanSd(values);
  if (Number.isNaN(sd)) return formatErrorRate(mean);
  return `${formatErrorRate(mean)} ± ${formatErrorRate(sd)}`;
}

/** The lines every experiment report starts with: title, what it compares, the shared setup. */
export function reportHeader(sweep: Sweep, intro: string, base: ConfigTree | undefined): string[] {
  const lines = [`# Experiment: ${sweep.kind}`, "", intro, ""];
  if (base !== undefined) {
    const trainer = (base.trainer ?? {}) as ConfigTree;
    const data = (base.data ?? {}) as ConfigTree;
    const limits = [
      `at most ${String(trainer.max_epochs)} epochs`,
      trainer.max_time_seconds ? `${String(trainer.max_time_seconds)} s of training` : null,
      trainer.limit_train_batches ? `${String(trainer.limit_train_batches)} batches/epoch` : null,
    ].filter((x) => x !== null);
    lines.push(
      `Shared setup: split \`${String(base.user)}\` in \`${String(base.dataset_root)}\`, ` +
        `window ${String(data.window_length)} samples, batch ${String(data.batch_size)}, ` +
        `${limits.join(", ")}, seed ${String(base.seed)}, backend ${String(base.backend)}. ` +
        "Each run's own `config.yaml` and `report.md` are in `runs/<name>/`.",
      "",
    );
  }
  return lines;
}

/** Lines naming the runs without a result (not run yet, or failed: see logs/). */
export function unfinishedLines(sweep: Sweep, results: Map<string, RunResult>): string[] {
  const missing = sweep.runs.filter((r) => !results.has(r.name)).map((r) => r.name);
  if (missing.length === 0) return [];
  return [
    "",
    `Not finished (${missing.length} of ${sweep.runs.length}): ${missing.join(", ")}. ` +
      "Rerun the same command to resume; failures are logged in `logs/`.",
  ];
}
