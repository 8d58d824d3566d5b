import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { checkSplitFiles, loadSplit } from "@emgkit/emg-io/node";
import type { AugmentConfig } from "@emgkit/emg-transforms";
import type { EmgModel } from "@emgkit/models";
import { loadModelFile } from "@emgkit/models/node";
import {
  type BackendName,
  type DataConfig,
  defaultSwadConfig,
  type ExampleSetSpec,
  type LrScheduleConfig,
  modelInputConfig,
  type Phase,
  phaseWindowing,
  type TrainConfig,
  useBackend,
} from "@emgkit/trainer/node";
import type { ConfigTree } from "./config.js";
import { CliError } from "./errors.js";

const SAMPLE_RATE_HZ = 2000;

function section(config: ConfigTree, key: string): ConfigTree {
  const value = config[key];
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CliError(`config: "${key}" must be a mapping`, 2);
  }
  return value as ConfigTree;
}

function numberOrNull(value: unknown, key: string): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  if (!Number.isFinite(n))
    throw new CliError(`config: ${key} must be a number or null, got ${String(value)}`, 2);
  return n;
}

function positiveInteger(value: unknown, key: string): number {
  const n = Number(value);
  if (!(Number.isInteger(n) && n > 0))
    throw new CliError(`config: ${key} must be a whole number > 0, got ${String(value)}`, 2);
  return n;
}

/** trainer.workers: a whole number >= 1, or "auto" for every core (os.availableParallelism()). */
export function workersFrom(value: unknown): number {
  if (value === undefined || value === null) return 1;
  return countOrAuto(value, "config: trainer.workers");
}

/** A whole number >= 1, or `auto` for every core; `name` says where a bad value came from. */
export function countOrAuto(value: unknown, name: string): number {
  if (value === "auto") return availableParallelism();
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= 1))
    throw new CliError(`${name} must be a whole number >= 1 or auto, got ${String(value)}`, 2);
  return n;
}

/** The trainer's settings from a resolved CLI config. */
export function trainConfigFrom(config: ConfigTree): TrainConfig {
  const data = section(config, "data");
  const transforms = section(config, "transforms");
  const trainer = section(config, "trainer");
  const model = section(config, "model");
  const optimizer = section(config, "optimizer");
  const padding = data.padding;
  if (!Array.isArray(padding) || padding.length !== 2) {
    throw new CliError("config: data.padding must be [left, right]", 2);
  }
  const dataConfig: DataConfig = {
    windowLength: positiveInteger(data.window_length, "data.window_length"),
    padding: [Number(padding[0]), Number(padding[1])],
    batchSize: positiveInteger(data.batch_size, "data.batch_size"),
    trainTransforms: transforms.train as AugmentConfig,
    evalTransforms: transforms.eval as AugmentConfig,
  };
  return {
    model: { kind: String(model.kind), config: modelConfigFor(model, dataConfig) },
    data: dataConfig,
    optimizer: {
      lr: Number(optimizer.lr),
      ...(optimizer.betas ? { betas: optimizer.betas as [number, number] } : {}),
      ...(optimizer.eps !== undefined ? { eps: Number(optimizer.eps) } : {}),
      ...(optimizer.weightDecay !== undefined
        ? { weightDecay: Number(optimizer.weightDecay) }
        : {}),
    },
    lrScheduler: config.lr_scheduler as LrScheduleConfig,
    maxEpochs: positiveInteger(trainer.max_epochs, "trainer.max_epochs"),
    gradClipNorm: numberOrNull(trainer.grad_clip_norm, "trainer.grad_clip_norm"),
    earlyStoppingPatience: numberOrNull(
      trainer.early_stopping_patience,
      "trainer.early_stopping_patience",
    ),
    seed: Number(config.seed),
    limitTrainBatches: numberOrNull(trainer.limit_train_batches, "trainer.limit_train_batches"),
    limitValBatches: numberOrNull(trainer.limit_val_batches, "trainer.limit_val_batches"),
    maxTimeSeconds: numberOrNull(trainer.max_time_seconds, "trainer.max_time_seconds"),
    loaderWorker: trainer.loader_worker !== false,
    swad: swadFrom(trainer.swad),
    workers: workersFrom(trainer.workers),
  };
}

/**
 * The model's config with its input size taken from the transforms (electrodes kept, frequency
 * bins): `inFeatures` = electrodes x bins per band, `electrodeChannels` = electrodes. A value
 * set by hand that disagrees is an error, so a sweep over electrodes or n_fft sizes the model.
 */
function modelConfigFor(model: ConfigTree, data: DataConfig): Record<string, unknown> {
  let derived: Record<string, number>;
  try {
    derived = modelInputConfig(data);
  } catch (error) {
    throw new CliError(`config: ${(error as Error).message}`, 2);
  }
  const given = (model.config ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(derived)) {
    if (given[key] !== undefined && Number(given[key]) !== value) {
      throw new CliError(
        `config: model.config.${key} is ${String(given[key])} but the transforms give ${value} (leave it out: it follows from the transforms)`,
        2,
      );
    }
  }
  return { ...given, ...derived };
}

/** `trainer.swad`: null, or a mapping whose missing keys take SWAD's defaults. */
function swadFrom(value: unknown): TrainConfig["swad"] {
  if (value === null || value === undefined) return null;
  if (typeof value !== "object" || Array.isArray(value))
    throw new CliError("config: trainer.swad must be null or a mapping", 2);
  const swad = value as ConfigTree;
  return {
    nConverge: positiveInteger(
      swad.n_converge ?? defaultSwadConfig.nConverge,
      "trainer.swad.n_converge",
    ),
    nTolerance: positiveInteger(
      swad.n_tolerance ?? defaultSwadConfig.nTolerance,
      "trainer.swad.n_tolerance",
    ),
    toleranceRatio: Number(swad.tolerance_ratio ?? defaultSwadConfig.toleranceRatio),
  };
}

/** Session files of each part of the configured split; one error lists every missing file. */
export function splitPaths(config: ConfigTree): Record<Phase, string[]> {
  const root = String(config.dataset_root);
  if (!existsSync(root))
    throw new CliError(`dataset folder ${root} does not exist (set dataset_root=...)`);
  let split: ReturnType<typeof loadSplit>;
  try {
    split = loadSplit(String(config.user));
  } catch (error) {
    throw new CliError((error as Error).message.split("\n")[0] as string, 2);
  }
  try {
    return checkSplitFiles(split, root);
  } catch (error) {
    throw new CliError((error as Error).message.split("\n")[0] as string);
  }
}

/** How much of each training user's data a run keeps: minutes or a fraction (null: all). */
export interface DataBudget {
  minutes: number | null;
  fraction: number | null;
}

/** The config's `budget_minutes` and `budget_fraction`; both at once is an error. */
export function dataBudget(config: ConfigTree): DataBudget {
  const minutes = numberOrNull(config.budget_minutes, "budget_minutes");
  const fraction = numberOrNull(config.budget_fraction, "budget_fraction");
  if (minutes !== null && !(minutes > 0))
    throw new CliError(`config: budget_minutes must be > 0, got ${minutes}`, 2);
  if (fraction !== null && !(fraction > 0 && fraction <= 1))
    throw new CliError(`config: budget_fraction must be in (0, 1], got ${fraction}`, 2);
  if (minutes !== null && fraction !== null)
    throw new CliError("config: set budget_minutes or budget_fraction, not both", 2);
  return { minutes, fraction };
}

/**
 * Sample limits for the training-data budget: the first `minutes` (or `fraction` of the
 * samples) of each user's training sessions, in split order (later sessions get what is left).
 */
export async function budgetLimits(
  paths: string[],
  budget: DataBudget,
  userOf: (path: string) => Promise<{ user: string; length: number }>,
): Promise<(number | null)[] | undefined> {
  if (budget.minutes === null && budget.fraction === null) return undefined;
  const sessions = [];
  const totals = new Map<string, number>();
  for (const path of paths) {
    const session = await userOf(path);
    sessions.push(session);
    totals.set(session.user, (totals.get(session.user) ?? 0) + session.length);
  }
  const left = new Map<string, number>();
  for (const [user, total] of totals) {
    left.set(
      user,
      budget.minutes !== null
        ? Math.round(budget.minutes * 60 * SAMPLE_RATE_HZ)
        : Math.round((budget.fraction as number) * total),
    );
  }
  return sessions.map(({ user, length }) => {
    const take = Math.min(length, left.get(user) as number);
    left.set(user, (left.get(user) as number) - take);
    return take;
  });
}

/** The dataset of one phase as the trainer's loaders take it. */
export function phaseSpec(
  trainConfig: TrainConfig,
  phase: Phase,
  paths: string[],
  limits?: (number | null)[],
): ExampleSetSpec {
  return {
    paths,
    ...(limits ? { limits } : {}),
    windowing: phaseWindowing(trainConfig.data, phase),
    transforms:
      phase === "train" ? trainConfig.data.trainTransforms : trainConfig.data.evalTransforms,
  };
}

/** A new run directory name: `runs/<date>-<time>-<model>`. */
export function defaultRunDir(kind: string): string {
  const stamp = new Date().toISOString().replace(/[:T]/g, "-").slice(0, 19);
  return join("runs", `${stamp}-${kind}`);
}

/** Makes the config's `backend` the active tfjs backend; a missing or failing one is a one-line error. */
export async function useConfiguredBackend(config: ConfigTree): Promise<void> {
  await useBackend(String(config.backend) as BackendName).catch((error: Error) => {
    throw new CliError(error.message);
  });
}

/** A model file (on the active backend); unreadable or corrupt files are one-line errors naming them. */
export async function loadModel(path: string): Promise<EmgModel> {
  return loadModelFile(path).catch((error: Error) => {
    throw new CliError(error.message);
  });
}
