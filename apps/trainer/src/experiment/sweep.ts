import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "@emgkit/trainer/node";
import { CliError } from "../errors.js";

/** What a run does; each name is a function in `tasks.ts`. */
export type TaskName = "train" | "eval" | "finger-pretrain" | "finger";

/**
 * One independent unit of work of a sweep. Its inputs are plain JSON (configs fully resolved),
 * so a cluster node needs nothing but `sweep.json` and the data to run it.
 */
export interface SweepRun {
  /** Unique in the sweep, a folder name: `runs/<name>/`. */
  name: string;
  /** Runs of stage k start once every run of the stages before k has finished (0 first). */
  stage: number;
  task: TaskName;
  params: Record<string, unknown>;
}

/** A planned experiment: `sweep.json` in the experiment's folder. */
export interface Sweep {
  /** The experiment kind (`architectures`, `channels`, ...). */
  kind: string;
  /** The command's options that shape the report (free-form per kind). */
  options: Record<string, unknown>;
  runs: SweepRun[];
}

/** What a finished run wrote: `runs/<name>/result.json` (its presence marks the run done). */
export type RunResult = Record<string, unknown>;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Files of an experiment folder. */
export function sweepPaths(dir: string) {
  return {
    sweep: join(dir, "sweep.json"),
    runs: join(dir, "runs"),
    logs: join(dir, "logs"),
    slurm: join(dir, "slurm"),
    report: join(dir, "report.md"),
    figures: join(dir, "figures"),
    results: join(dir, "results.json"),
  };
}

/** The folder of one run. */
export function runDirOf(dir: string, name: string): string {
  return join(sweepPaths(dir).runs, name);
}

function resultPath(dir: string, name: string): string {
  return join(runDirOf(dir, name), "result.json");
}

/** Checks names are unique folder names and stages only point backwards. */
export function checkSweep(sweep: Sweep): void {
  const stageOf = new Map<string, number>();
  for (const run of sweep.runs) {
    if (!NAME.test(run.name)) throw new Error(`sweep run name "${run.name}" is not a folder name`);
    if (stageOf.has(run.name)) throw new Error(`sweep run "${run.name}" appears twice`);
    if (!(Number.isInteger(run.stage) && run.stage >= 0))
      throw new Error(`sweep run "${run.name}" has stage ${run.stage}`);
    stageOf.set(run.name, run.stage);
  }
  for (const run of sweep.runs) {
    for (const needed of runDependencies(run)) {
      const stage = stageOf.get(needed);
      if (stage === undefined || stage >= run.stage) {
        throw new Error(`sweep run "${run.name}" needs "${needed}" from an earlier stage`);
      }
    }
  }
}

/** Runs whose outputs `run` reads (its `params.from`, when set). */
export function runDependencies(run: SweepRun): string[] {
  const from = run.params.from as { run?: string } | undefined;
  return from?.run ? [from.run] : [];
}

/**
 * Writes `sweep.json`, or checks that the folder already holds the same plan (a rerun resumes
 * it). A different plan is an error, so finished runs are never mixed with other settings.
 */
export async function saveSweep(dir: string, sweep: Sweep): Promise<"new" | "resumed"> {
  checkSweep(sweep);
  const path = sweepPaths(dir).sweep;
  const text = `${JSON.stringify(sweep, null, 2)}\n`;
  if (existsSync(path)) {
    const saved = await readFile(path, "utf8");
    if (saved !== text) {
      throw new CliError(
        `${path} holds a different sweep (other kind, options or overrides); pick another --out or delete it`,
      );
    }
    return "resumed";
  }
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(path, text);
  return "new";
}

/** Reads `<dir>/sweep.json`; a missing or malformed file is a one-line error naming it. */
export async function loadSweep(dir: string): Promise<Sweep> {
  const path = sweepPaths(dir).sweep;
  if (!existsSync(path)) throw new CliError(`${dir} is not an experiment folder (no sweep.json)`);
  let sweep: Sweep;
  try {
    sweep = JSON.parse(await readFile(path, "utf8")) as Sweep;
  } catch (error) {
    throw new CliError(`${path}: ${(error as Error).message}`);
  }
  if (typeof sweep?.kind !== "string" || !Array.isArray(sweep.runs)) {
    throw new CliError(`${path}: not a sweep (needs "kind" and "runs")`);
  }
  try {
    checkSweep(sweep);
  } catch (error) {
    throw new CliError(`${path}: ${(error as Error).message}`);
  }
  return sweep;
}

/** The run called `name`; an unknown name is a one-line error. */
export function findRun(sweep: Sweep, name: string): SweepRun {
  const run = sweep.runs.find((r) => r.name === name);
  if (run === undefined) {
    throw new CliError(`no run "${name}" in this ${sweep.kind} sweep`, 2);
  }
  return run;
}

/** The result of a finished run, or null while it has not finished. */
export async function readResult(dir: string, name: string): Promise<RunResult | null> {
  const path = resultPath(dir, name);
  if (!existsSync(path)) return null;
  return JSON.parse(await readFile(path, "utf8")) as RunResult;
}

/** Marks a run finished (atomically, so an interrupted write never counts as done). */
export async function writeResult(dir: string, name: string, result: RunResult): Promise<void> {
  await mkdir(runDirOf(dir, name), { recursive: true });
  await writeFileAtomic(resultPath(dir, name), `${JSON.stringify(result, null, 2)}\n`);
}

/** Results of every finished run, by name. */
export async function readResults(dir: string, sweep: Sweep): Promise<Map<string, RunResult>> {
  const results = new Map<string, RunResult>();
  for (const run of sweep.runs) {
    const result = await readResult(dir, run.name);
    if (result !== null) results.set(run.name, result);
  }
  return results;
}
