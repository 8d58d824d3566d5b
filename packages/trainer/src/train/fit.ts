import { existsSync } from "node:fs";
import { mkdir, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { CharacterErrorRates } from "@emgkit/cer-metrics";
import {
  assignWeights,
  createModel,
  decodeSafetensors,
  type EmgModel,
  encodeSafetensors,
  loadWeights,
} from "@emgkit/models";
import type * as tf from "@tensorflow/tfjs-core";
import { type BatchLoader, openBatchLoader } from "../data/batch-loader.js";
import type { Batch } from "../data/collate.js";
import { type BatchRequest, epochPlan } from "../data/epoch-plan.js";
import type { ExampleSetSpec } from "../data/example-set.js";
import type { EpochRecord } from "../metrics-record.js";
import { Adam } from "../optim/adam.js";
import { clipGradNorm } from "../optim/clip-grad.js";
import { createLrSchedule } from "../optim/lr-schedule.js";
import {
  type Checkpoint,
  loadCheckpoint,
  saveCheckpoint,
  saveModelFile,
  type TrainerState,
  trainableParams,
  writeFileAtomic,
} from "./checkpoint.js";
import { evalStep, gradientStep } from "./ctc-step.js";
import type { ShardOutput } from "./data-parallel/protocol.js";
import { ReplicaPool } from "./data-parallel/replica-pool.js";
import { MetricsLog } from "./metrics-log.js";
import { ratesOrNaN, scoreGreedy } from "./score.js";
import { SwadAverager, type SwadConfig, type SwadWindow, validateSwadConfig } from "./swad.js";
import type { TrainConfig } from "./train-config.js";

/** Files of a run directory. */
export function runPaths(runDir: string) {
  return {
    metrics: join(runDir, "metrics.jsonl"),
    checkpoints: join(runDir, "checkpoints"),
    /** Resumable: model, optimiser and trainer state, written after every epoch. */
    last: join(runDir, "checkpoints", "last.ckpt.safetensors"),
    /** The model of the best val CER (or the last epoch without validation). */
    best: join(runDir, "checkpoints", "best.safetensors"),
    /** With `config.swad`: the SWAD-averaged model, written when training ends. */
    swad: join(runDir, "checkpoints", "swad.safetensors"),
    /** With `config.swad`: SWAD's running state for resuming, written with `last` after every epoch. */
    swadState: join(runDir, "checkpoints", "swad-state.safetensors"),
  };
}

/** Progress of a running fit, for progress bars and logs. */
export type FitEvent =
  | { type: "step"; epoch: number; batch: number; batches: number; loss: number; lr: number }
  | { type: "val"; epoch: number; batch: number; batches: number }
  | { type: "epoch"; train: EpochRecord; val: EpochRecord | null; improved: boolean };

export interface FitOptions {
  config: TrainConfig;
  train: ExampleSetSpec;
  /** Validation data; null trains without validation (best = last). */
  val: ExampleSetSpec | null;
  runDir: string;
  /** Continue from `checkpoints/last.ckpt.safetensors` of `runDir`. */
  resume?: boolean;
  /** Start from these weights (a model or checkpoint file of the same kind): finetuning. */
  initWeights?: string;
  onEvent?: (event: FitEvent) => void;
  /**
   * With `config.workers` > 1: after every step, check that each worker
   * replica's weights and buffers equal the main thread's (a checksum; costs a
   * read-back of the weights per step; for tests).
   */
  checkReplicas?: boolean;
}

export interface FitResult {
  /** The trained model (last epoch); the caller disposes it. */
  model: EmgModel;
  state: TrainerState;
  stoppedBy: "max-epochs" | "early-stopping" | "time-limit";
  /** With `config.swad`: the epochs and steps averaged into `checkpoints/swad.safetensors`; null when off. */
  swad: null | SwadWindow;
}

/** Training stopped because the loss or the gradient stopped being finite. */
export class DivergedError extends Error {
  override name = "DivergedError";
}

/**
 * Trains `config.model` on `train` as emg2qwerty's Lightning loop does: per
 * epoch, shuffled jittered windows with augmentations, Adam at the epoch's
 * scheduled lr, CTC loss, greedy CER on train and val; writes
 * `metrics.jsonl`, the best model (by val CER) and a resumable last
 * checkpoint after every epoch. A non-finite loss or gradient stops with
 * `DivergedError` before it touches the weights; the last checkpoint stays good.
 * With `config.swad`, every step's weights feed SWAD (`swad.ts`), whose state is
 * saved beside the last checkpoint, and the averaged model is written to
 * `checkpoints/swad.safetensors` when training ends.
 */
export async function fit(options: FitOptions): Promise<FitResult> {
  const { config, runDir } = options;
  const paths = runPaths(runDir);
  const swadConfig = config.swad ?? null;
  if (swadConfig !== null) {
    validateSwadConfig(swadConfig);
    if (options.val === null) {
      throw new Error("SWAD needs a validation set: its window is chosen by val loss");
    }
  }
  const workers = config.workers ?? 1;
  if (!(Number.isInteger(workers) && workers >= 1)) {
    throw new Error(`workers must be a whole number >= 1, got ${workers}`);
  }
  await mkdir(paths.checkpoints, { recursive: true });

  let model: EmgModel;
  let state: TrainerState;
  let optimizerState: Checkpoint["optimizer"] | null = null;
  if (options.resume && existsSync(paths.last)) {
    const checkpoint = await loadCheckpoint(paths.last);
    model = checkpoint.model;
    state = checkpoint.trainer;
    optimizerState = checkpoint.optimizer;
  } else {
    model = createModel(config.model.kind, config.model.config, config.seed);
    if (options.initWeights !== undefined) await initFrom(model, options.initWeights);
    state = {
      epoch: 0,
      step: 0,
      bestValCer: null,
      bestValLoss: null,
      bestEpoch: null,
      epochsWithoutImprovement: 0,
      elapsedSeconds: 0,
    };
  }

  const adam = new Adam(trainableParams(model), config.optimizer);
  const loaders: BatchLoader[] = [];
  let swad: SwadAverager | null = null;
  let pool: ReplicaPool | null = null;
  try {
    if (optimizerState !== null) adam.load(optimizerState);
    if (swadConfig !== null) {
      swad =
        optimizerState === null
          ? SwadAverager.create(model, swadConfig)
          : await loadSwadState(paths.swadState, model, swadConfig, state.epoch);
      state.swad = swad.window();
    }
    const schedule = createLrSchedule(config.lrScheduler, config.optimizer.lr);
    const log = new MetricsLog(paths.metrics);
    const trainLoader = await openBatchLoader(options.train, { worker: config.loaderWorker });
    loaders.push(trainLoader);
    if (trainLoader.length === 0) throw new Error("the training data holds no window");
    const valLoader =
      options.val === null
        ? null
        : await openBatchLoader(options.val, { worker: config.loaderWorker });
    if (valLoader !== null) loaders.push(valLoader);
    if (swad !== null && valLoader?.length === 0) {
      throw new Error("SWAD needs a validation set with windows: its window is chosen by val loss");
    }
    if (workers > 1) {
      pool = await ReplicaPool.start({
        replicas: workers,
        model,
        adam,
        adamOptions: config.optimizer,
        resumed: optimizerState !== null,
        train: options.train,
        loaderWorker: config.loaderWorker,
        gradClipNorm: config.gradClipNorm,
      });
    }
    const checkReplicas = options.checkReplicas === true;

    const started = performance.now() / 1000 - state.elapsedSeconds;
    const elapsed = () => performance.now() / 1000 - started;
    let stoppedBy: FitResult["stoppedBy"] = "max-epochs";

    while (state.epoch < config.maxEpochs) {
      const epoch = state.epoch;
      const lr = schedule.lrAt(epoch);
      const plan = limit(
        epochPlan(trainLoader.length, config.data.batchSize, {
          seed: config.seed,
          epoch,
          shuffle: true,
        }),
        config.limitTrainBatches,
      );
      const trainRates = new CharacterErrorRates();
      let lossSum = 0;
      let windows = 0;
      const epochStart = performance.now();
      let stepStart = epochStart;
      /** Counts, logs and reports a step of `N` windows with mean loss `loss`. */
      const afterStep = async (b: number, loss: number, N: number) => {
        lossSum += loss * N;
        windows += N;
        state.step += 1;
        const now = performance.now();
        await log.write({
          kind: "step",
          epoch,
          step: state.step,
          loss,
          lr,
          windowsPerSecond: N / ((now - stepStart) / 1000),
          time: elapsed(),
        });
        stepStart = now;
        options.onEvent?.({ type: "step", epoch, batch: b, batches: plan.length, loss, lr });
      };
      // Data-parallel: the main thread loads and computes shard 0 of each batch, the workers the others.
      const shards = pool?.shard(plan) ?? null;
      const mainPlan = shards === null ? plan : shards.map((s) => s[0] as BatchRequest);
      for await (const [b, batch] of prefetched(trainLoader, mainPlan)) {
        if (pool !== null && shards !== null) {
          pool.post(
            state.step,
            shards[b] as BatchRequest[],
            shards[b + 1] ?? null,
            lr,
            checkReplicas,
          );
          const step = gradientStep(model, batch);
          let shared: Awaited<ReturnType<ReplicaPool["reduce"]>>;
          try {
            shared = await pool.reduce(step, batch.shape[1], adam, lr, checkReplicas);
          } finally {
            disposeAll(step.grads);
          }
          if (shared.diverged !== null) {
            throw new DivergedError(
              `${shared.diverged.what} is ${shared.diverged.value} at epoch ${epoch}, step ${state.step}; the last good checkpoint is ${paths.last}`,
            );
          }
          swad?.addStep(model);
          scoreGreedy(trainRates, batch, step);
          for (const shard of shared.shards) scoreGreedy(trainRates, labelsOnly(shard), shard);
          await afterStep(b, shared.loss, shared.windows);
          continue;
        }
        const step = gradientStep(model, batch);
        let grads: Map<string, tf.Tensor> = step.grads;
        try {
          if (!Number.isFinite(step.loss)) {
            throw new DivergedError(
              `loss is ${step.loss} at epoch ${epoch}, step ${state.step}; the last good checkpoint is ${paths.last}`,
            );
          }
          if (config.gradClipNorm !== null) {
            const clipped = clipGradNorm(grads, config.gradClipNorm);
            if (!Number.isFinite(clipped.totalNorm)) {
              disposeAll(clipped.grads);
              throw new DivergedError(
                `gradient norm is ${clipped.totalNorm} at epoch ${epoch}, step ${state.step}; the last good checkpoint is ${paths.last}`,
              );
            }
            disposeAll(grads);
            grads = clipped.grads;
          }
          adam.apply(grads, lr);
        } finally {
          disposeAll(grads);
        }
        swad?.addStep(model);
        scoreGreedy(trainRates, batch, step);
        await afterStep(b, step.loss, batch.shape[1]);
      }
      const trainSeconds = (performance.now() - epochStart) / 1000;
      const trainRecord: EpochRecord = {
        kind: "epoch",
        phase: "train",
        epoch,
        step: state.step,
        loss: lossSum / windows,
        ...ratesOrNaN(trainRates),
        lr,
        windowsPerSecond: windows / trainSeconds,
        time: elapsed(),
      };
      await log.write(trainRecord);

      let valRecord: EpochRecord | null = null;
      if (valLoader !== null) {
        valRecord = await validate(
          model,
          valLoader,
          config,
          epoch,
          state.step,
          lr,
          elapsed,
          options,
        );
        await log.write(valRecord);
        // Weights that blew up in the epoch's last step would otherwise be checkpointed.
        if (!Number.isFinite(valRecord.loss) && valLoader.length > 0) {
          throw new DivergedError(
            `validation loss is ${valRecord.loss} after epoch ${epoch}; the last good checkpoint is ${paths.last}`,
          );
        }
      }
      const score = valRecord?.CER ?? null;
      const improved = score === null || isBetter(score, valRecord?.loss ?? Number.NaN, state);
      if (improved) {
        state.bestValCer = score;
        state.bestValLoss = valRecord?.loss ?? null;
        state.bestEpoch = epoch;
        state.epochsWithoutImprovement = 0;
        await saveModelFile(paths.best, model);
      } else {
        state.epochsWithoutImprovement += 1;
      }
      state.epoch = epoch + 1;
      state.elapsedSeconds = elapsed();
      if (swad !== null && valRecord !== null) {
        swad.endEpoch(epoch, valRecord.loss);
        state.swad = swad.window();
        await saveSwadState(paths.swadState, swad);
      }
      await saveCheckpoint(paths.last, model, { trainer: state, optimizer: adam.state() });
      options.onEvent?.({ type: "epoch", train: trainRecord, val: valRecord, improved });

      if (
        config.earlyStoppingPatience !== null &&
        state.epochsWithoutImprovement >= config.earlyStoppingPatience
      ) {
        stoppedBy = "early-stopping";
        break;
      }
      if (config.maxTimeSeconds !== null && elapsed() >= config.maxTimeSeconds) {
        stoppedBy = "time-limit";
        break;
      }
    }
    const swadWindow = swad === null ? null : await saveSwadModel(paths.swad, model, swad);
    return { model, state, stoppedBy, swad: swadWindow };
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    await pool?.close();
    swad?.dispose();
    adam.dispose();
    for (const loader of loaders) await loader.close();
  }
}

async function validate(
  model: EmgModel,
  loader: BatchLoader,
  config: TrainConfig,
  epoch: number,
  step: number,
  lr: number,
  elapsed: () => number,
  options: FitOptions,
): Promise<EpochRecord> {
  const plan = limit(
    epochPlan(loader.length, config.data.batchSize, { seed: config.seed, epoch, shuffle: false }),
    config.limitValBatches,
  );
  const rates = new CharacterErrorRates();
  let lossSum = 0;
  let windows = 0;
  const start = performance.now();
  for await (const [b, batch] of prefetched(loader, plan)) {
    const output = evalStep(model, batch);
    scoreGreedy(rates, batch, output);
    lossSum += output.loss * batch.shape[1];
    windows += batch.shape[1];
    options.onEvent?.({ type: "val", epoch, batch: b, batches: plan.length });
  }
  return {
    kind: "epoch",
    phase: "val",
    epoch,
    step,
    loss: windows === 0 ? Number.NaN : lossSum / windows,
    ...ratesOrNaN(rates),
    lr,
    windowsPerSecond: windows / ((performance.now() - start) / 1000),
    time: elapsed(),
  };
}

/** The batches of `plan`, each requested while the previous one is being used. */
async function* prefetched(
  loader: BatchLoader,
  plan: BatchRequest[],
): AsyncGenerator<[number, Batch]> {
  let next = plan.length > 0 ? loader.load(plan[0] as BatchRequest) : null;
  for (let b = 0; b < plan.length; b++) {
    const batch = await (next as Promise<Batch>);
    next = b + 1 < plan.length ? loader.load(plan[b + 1] as BatchRequest) : null;
    yield [b, batch];
  }
}

/** A lower val CER, or the same CER with a lower val loss (Lightning's monitor breaks no ties; early on every CER is 100). */
function isBetter(cer: number, loss: number, state: TrainerState): boolean {
  if (!Number.isFinite(cer)) return false;
  if (state.bestValCer === null || cer < state.bestValCer) return true;
  return cer === state.bestValCer && loss < (state.bestValLoss ?? Number.POSITIVE_INFINITY);
}

/** A worker's shard as a batch for `scoreGreedy`, which reads the labels only. */
function labelsOnly(shard: ShardOutput): Batch {
  return {
    inputs: new Float32Array(0),
    shape: [0, shard.windows, 0, 0, 0],
    inputLengths: new Int32Array(shard.windows),
    targets: shard.targets,
    targetLengths: shard.targetLengths,
  };
}

function limit<T>(items: T[], count: number | null): T[] {
  return count === null ? items : items.slice(0, count);
}

function disposeAll(tensors: Map<string, tf.Tensor>): void {
  for (const tensor of tensors.values()) tensor.dispose();
}

/** The state file the epoch before wrote, kept until the last checkpoint has caught up. */
const previousOf = (path: string) => path.replace(/\.safetensors$/, ".previous.safetensors");

/**
 * Writes SWAD's state at an epoch end, before the last checkpoint: the state
 * of the epoch before moves aside first, so that whichever of the two files a
 * crash between them leaves matches the last checkpoint.
 */
async function saveSwadState(path: string, swad: SwadAverager): Promise<void> {
  const { tensors, metadata } = swad.toSafetensors();
  if (existsSync(path)) await rename(path, previousOf(path));
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/** SWAD's state after `epoch` epochs (the last checkpoint's), from `path` or the previous one. */
async function loadSwadState(
  path: string,
  model: EmgModel,
  config: SwadConfig,
  epoch: number,
): Promise<SwadAverager> {
  let found: number | null = null;
  for (const candidate of [path, previousOf(path)]) {
    if (!existsSync(candidate)) continue;
    let swad: SwadAverager;
    try {
      const { metadata, tensors } = decodeSafetensors(await readFile(candidate));
      swad = SwadAverager.fromSafetensors(model, config, tensors, metadata);
    } catch (error) {
      throw new Error(`${candidate}: ${(error as Error).message}`);
    }
    if (swad.epochs === epoch) return swad;
    found ??= swad.epochs;
    swad.dispose();
  }
  if (found === null) {
    throw new Error(
      `${path}: missing; resuming with swad on needs SWAD's state (was the run started without swad?)`,
    );
  }
  throw new Error(
    `${path}: SWAD's state is after epoch ${found}, the last checkpoint after epoch ${epoch}`,
  );
}

/** Writes the SWAD-averaged model (a plain model file, as `best`); its window, or null before any epoch. */
async function saveSwadModel(
  path: string,
  model: EmgModel,
  swad: SwadAverager,
): Promise<SwadWindow | null> {
  const average = swad.average();
  if (average === null) return null;
  const averaged = createModel(model.kind, model.config as object);
  try {
    assignWeights(averaged, average.tensors);
    await saveModelFile(path, averaged);
  } finally {
    averaged.dispose();
  }
  return average.window;
}

/** Finetuning: copies weights of a model or checkpoint file of the same kind into `model`. */
async function initFrom(model: EmgModel, path: string): Promise<void> {
  const { manifest, tensors } = loadWeights(await readFile(path));
  if (manifest.kind !== model.kind) {
    throw new Error(`${path}: holds a ${manifest.kind} model, not ${model.kind}`);
  }
  for (const name of [...tensors.keys()]) {
    if (name.startsWith("optimizer/")) tensors.delete(name);
  }
  assignWeights(model, tensors);
}
