import { spawn } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError } from "../errors.js";
import { progressBar } from "../progress.js";
import {
  readResult,
  runDependencies,
  type Sweep,
  type SweepRun,
  sweepPaths,
  writeResult,
} from "./sweep.js";
import { runTask, type TaskContext } from "./tasks.js";

/** Runs one run in this process and marks it finished. */
export async function executeRun(run: SweepRun, context: TaskContext): Promise<void> {
  const result = await runTask(run, context);
  await writeResult(context.dir, run.name, result);
}

/**
 * The command that runs one run in a fresh process: the built CLI beside this module, or,
 * from the TypeScript sources (tests), `cli.ts` through tsx.
 */
export function cliCommand(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [here, join(here, "..")]) {
    if (existsSync(join(dir, "cli.js"))) return [process.execPath, join(dir, "cli.js")];
    if (existsSync(join(dir, "cli.ts")))
      return [process.execPath, "--import", "tsx", join(dir, "cli.ts")];
  }
  throw new CliError("cannot find the emgkit CLI entry (cli.js) to start workers");
}

/** Runs `emgkit experiment run <dir> <name>` in a child process, its output in `logs/<name>.log`. */
async function executeInChild(dir: string, run: SweepRun): Promise<void> {
  const logs = sweepPaths(dir).logs;
  await mkdir(logs, { recursive: true });
  const logPath = join(logs, `${run.name}.log`);
  const log = createWriteStream(logPath);
  const [command, ...args] = cliCommand() as [string, ...string[]];
  const child = spawn(command, [...args, "experiment", "run", dir, run.name], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const code = await new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status) => resolve(status ?? 1));
  });
  await new Promise<void>((resolve) => log.end(resolve));
  if (code !== 0) {
    const lines = (await readFile(logPath, "utf8")).trim().split("\n");
    const last = (lines.at(-1) ?? "").replace(/^emgkit: /, "");
    throw new Error(`${last} (log: ${logPath})`);
  }
}

export interface SweepProgress {
  /** Runs finished in this call. */
  ran: string[];
  /** Runs that had finished before (resumed sweeps skip them). */
  skipped: string[];
  failed: Array<{ name: string; error: string }>;
}

export interface RunnerOptions {
  /** Runs at once; 1 runs them one after another in this process. */
  workers: number;
  progress: boolean;
  log: (line: string) => void;
}

/**
 * Runs a sweep stage by stage, each stage's unfinished runs on a pool of `workers` processes.
 * Finished runs (with `result.json`) are skipped, so rerunning after an interruption resumes;
 * a failed run does not stop the others, but runs that need its output are not started.
 */
export async function runSweep(
  dir: string,
  sweep: Sweep,
  options: RunnerOptions,
): Promise<SweepProgress> {
  const outcome: SweepProgress = { ran: [], skipped: [], failed: [] };
  const unusable = new Set<string>();
  const stages = [...new Set(sweep.runs.map((r) => r.stage))].sort((a, b) => a - b);
  const total = sweep.runs.length;
  const bar = progressBar("runs", options.progress && options.workers > 1);
  const report = () => bar.update(outcome.ran.length + outcome.skipped.length, total);
  for (const stage of stages) {
    const pending: SweepRun[] = [];
    for (const run of sweep.runs.filter((r) => r.stage === stage)) {
      if ((await readResult(dir, run.name)) !== null) {
        outcome.skipped.push(run.name);
        continue;
      }
      const missing = runDependencies(run).find((name) => unusable.has(name));
      if (missing !== undefined) {
        unusable.add(run.name);
        outcome.failed.push({ name: run.name, error: `needs ${missing}, which failed` });
        continue;
      }
      pending.push(run);
    }
    report();
    const next = () => pending.shift();
    const worker = async () => {
      for (let run = next(); run !== undefined; run = next()) {
        const started = performance.now();
        if (options.workers === 1) options.log(`run ${run.name} (${run.task})`);
        try {
          if (options.workers === 1) {
            await executeRun(run, { dir, progress: options.progress, log: options.log });
          } else {
            await executeInChild(dir, run);
          }
          outcome.ran.push(run.name);
          const seconds = ((performance.now() - started) / 1000).toFixed(0);
          bar.done();
          options.log(`run ${run.name} finished in ${seconds} s`);
        } catch (error) {
          unusable.add(run.name);
          const message = ((error as Error).message ?? String(error)).split("\n")[0] as string;
          outcome.failed.push({ name: run.name, error: message });
          bar.done();
          options.log(`run ${run.name} failed: ${message}`);
        }
        report();
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.workers, pending.length) }, worker));
  }
  bar.done();
  return outcome;
}
