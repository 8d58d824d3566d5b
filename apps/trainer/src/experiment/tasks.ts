import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { openSession } from "@emgkit/emg-io/node";
import {
  type EvalRecord,
  type Phase,
  pretrainFingerEncoder,
  runFingerTask,
  runPaths,
} from "@emgkit/trainer/node";
import { type ConfigTree, configYaml } from "../config.js";
import { CliError } from "../errors.js";
import { progressBar } from "../progress.js";
import { loadModel, splitPaths, useConfiguredBackend } from "../run-setup.js";
import { evaluateInto, trainRun } from "../train-run.js";
import type { FingerParams, FingerPretrainParams } from "./finger.js";
import { type RunResult, runDirOf, type SweepRun, type TaskName } from "./sweep.js";

/** One evaluation of a run: a split part and a decoder config (`configs/decoder/*.yaml`). */
export interface Evaluation {
  phase: Phase;
  decoder: ConfigTree;
}

/** A model file of an earlier run of the same sweep. */
export interface ModelSource {
  run: string;
  /** `best` (best val CER) or `swad` (the SWAD average). */
  file: "best" | "swad";
}

/** `train` params: fit `config`, optionally from an earlier run's weights, then evaluate. */
export interface TrainParams {
  config: ConfigTree;
  evaluations: Evaluation[];
  from?: ModelSource;
}

/** `eval` params: evaluate an earlier run's model with `config`'s split. */
export interface EvalParams {
  config: ConfigTree;
  evaluations: Evaluation[];
  from: ModelSource;
}

/** How a task reports: progress bars on or off, and log lines. */
export interface TaskContext {
  /** The experiment folder. */
  dir: string;
  progress: boolean;
  log: (line: string) => void;
}

type Task = (run: SweepRun, context: TaskContext) => Promise<RunResult>;

const tasks: Record<TaskName, Task> = {
  train: (run, context) => trainTask(run.params as unknown as TrainParams, run, context),
  eval: (run, context) => evalTask(run.params as unknown as EvalParams, run, context),
  "finger-pretrain": (run, context) =>
    fingerPretrainTask(run.params as unknown as FingerPretrainParams, run, context),
  finger: (run, context) => fingerTask(run.params as unknown as FingerParams, run, context),
};

/** Runs one sweep run in this process and returns what its `result.json` holds. */
export function runTask(run: SweepRun, context: TaskContext): Promise<RunResult> {
  const task = tasks[run.task];
  if (task === undefined) throw new CliError(`unknown task "${run.task}" in run ${run.name}`);
  return task(run, context);
}

/** The model file an earlier run left; an unfinished run is a one-line error. */
function sourceFile(dir: string, source: ModelSource): string {
  const path = runPaths(runDirOf(dir, source.run))[source.file];
  if (!existsSync(path)) throw new CliError(`${path} is missing: run ${source.run} first`);
  return path;
}

/** Seconds of EMG in the configured split's `phase` (for the real-time factor). */
async function audioSeconds(config: ConfigTree, phase: Phase): Promise<number> {
  let samples = 0;
  for (const path of splitPaths(config)[phase]) {
    const session = await openSession(path);
    samples += session.length;
    session.close();
  }
  return samples / 2000;
}

/** Evaluation records with how many times faster than real time each one ran. */
async function withSpeed(
  config: ConfigTree,
  records: EvalRecord[],
): Promise<Array<EvalRecord & { realTimeFactor: number }>> {
  const seconds = new Map<Phase, number>();
  const out = [];
  for (const record of records) {
    if (!seconds.has(record.phase))
      seconds.set(record.phase, await audioSeconds(config, record.phase));
    out.push({ ...record, realTimeFactor: (seconds.get(record.phase) as number) / record.time });
  }
  return out;
}

async function trainTask(
  params: TrainParams,
  run: SweepRun,
  context: TaskContext,
): Promise<RunResult> {
  const runDir = runDirOf(context.dir, run.name);
  // An interrupted run continues from its last epoch; one stopped before its first starts over.
  const resume = existsSync(runPaths(runDir).last);
  if (!resume) await rm(runDir, { recursive: true, force: true });
  const result = await trainRun({
    config: params.config,
    runDir,
    resume,
    ...(params.from ? { finetune: sourceFile(context.dir, params.from) } : {}),
    evaluations: params.evaluations,
    progress: context.progress,
    log: context.log,
  });
  return { ...result, evaluations: await withSpeed(params.config, result.evaluations) };
}

async function evalTask(
  params: EvalParams,
  run: SweepRun,
  context: TaskContext,
): Promise<RunResult> {
  const runDir = runDirOf(context.dir, run.name);
  await useConfiguredBackend(params.config);
  const model = await loadModel(sourceFile(context.dir, params.from));
  await mkdir(runDir, { recursive: true });
  await writeFile(join(runDir, "config.yaml"), configYaml(params.config));
  const evaluations: EvalRecord[] = [];
  try {
    for (const { phase, decoder } of params.evaluations) {
      evaluations.push(
        await evaluateInto(runDir, model, params.config, phase, decoder, context.progress),
      );
    }
  } finally {
    model.dispose();
  }
  return { runDir, evaluations: await withSpeed(params.config, evaluations) };
}

/** The encoder file a `finger-pretrain` run writes. */
function encoderFile(dir: string, run: string): string {
  return join(runDirOf(dir, run), "encoder.safetensors");
}

async function fingerPretrainTask(
  params: FingerPretrainParams,
  run: SweepRun,
  context: TaskContext,
): Promise<RunResult> {
  await useConfiguredBackend({ backend: params.backend });
  await mkdir(runDirOf(context.dir, run.name), { recursive: true });
  const bar = progressBar("pretraining", context.progress);
  const result = await pretrainFingerEncoder({
    sessions: params.sessions,
    outFile: encoderFile(context.dir, run.name),
    steps: params.steps,
    seed: params.seed,
    onProgress: (p) => {
      if (p.phase === "train") bar.update(p.step, params.steps, `CTC loss ${p.loss.toFixed(2)}`);
    },
  });
  bar.done();
  context.log(
    `pretrained ${result.steps} steps on ${result.hours.toFixed(2)} h: CTC loss ${result.loss.toFixed(3)}`,
  );
  return { ...result };
}

async function fingerTask(
  params: FingerParams,
  run: SweepRun,
  context: TaskContext,
): Promise<RunResult> {
  await useConfiguredBackend({ backend: params.backend });
  const encoder = params.from ? encoderFile(context.dir, params.from.run) : undefined;
  if (encoder !== undefined && !existsSync(encoder))
    throw new CliError(`${encoder} is missing: run ${params.from?.run} first`);
  const bar = progressBar(run.name, context.progress);
  const result = await runFingerTask({
    trainCsv: params.trainCsv,
    testCsv: params.testCsv,
    trainSeconds: params.trainSeconds,
    steps: params.steps,
    seed: params.seed,
    ...(encoder ? { pretrainedEncoder: encoder } : {}),
    onProgress: (p) => bar.update(p.step, params.steps, `loss ${p.loss.toFixed(3)}`),
  }).catch((error: Error) => {
    throw new CliError(error.message);
  });
  bar.done();
  context.log(
    `${run.name}: accuracy ${(100 * result.accuracy).toFixed(1)} %, macro F1 ${(100 * result.macroF1).toFixed(1)} %`,
  );
  return { ...result };
}
