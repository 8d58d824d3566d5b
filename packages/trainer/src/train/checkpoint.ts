import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import {
  assignWeights,
  createModel,
  decodeSafetensors,
  type EmgModel,
  encodeSafetensors,
  flatten,
  type HostTensor,
  loadWeights,
  saveWeights,
} from "@emgkit/models";
import type * as tf from "@tensorflow/tfjs-core";
import type { AdamState } from "../optim/adam.js";
import type { SwadWindow } from "./swad.js";

/** Where a training run stands at the end of an epoch: what resuming needs besides tensors. */
export interface TrainerState {
  /** Epochs finished (the next epoch to run). */
  epoch: number;
  /** Optimiser steps taken. */
  step: number;
  /** Best validation CER so far and its epoch (null before any validation). */
  bestValCer: number | null;
  /** Val loss of the best epoch: breaks ties between equal CERs (early on, every CER is 100). */
  bestValLoss: number | null;
  bestEpoch: number | null;
  /** Epochs since the best one (early stopping). */
  epochsWithoutImprovement: number;
  /** Wall-clock seconds of training so far, across resumes. */
  elapsedSeconds: number;
  /** With SWAD on: the epochs its model would average if training ended here (absent when off). */
  swad?: SwadWindow | null;
}

/** Everything in a resumable checkpoint. */
export interface Checkpoint {
  trainer: TrainerState;
  optimizer: AdamState;
}

const OPTIMIZER_PREFIX = "optimizer/";
const TRAINER_KEY = "emgkit.trainer";
const ADAM_KEY = "emgkit.adam";

/** A one-line error naming the checkpoint file and what is wrong with it. */
export class CheckpointError extends Error {
  override name = "CheckpointError";
}

/** Writes `bytes` to `path` through a temporary file and a rename, so a crash never leaves half a file. */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Saves a resumable checkpoint as one safetensors file: the model's
 * parameters and buffers under their own names (with the model manifest, so
 * `loadModelFile` reads it as a model too), the optimiser moments under
 * `optimizer/<name>/exp_avg|exp_avg_sq`, and trainer and Adam scalars in the metadata.
 */
export async function saveCheckpoint(
  path: string,
  model: EmgModel,
  checkpoint: Checkpoint,
): Promise<void> {
  const { metadata, tensors } = decodeSafetensors(saveWeights(model));
  const { params, ...adamScalars } = checkpoint.optimizer;
  const steps: Record<string, number> = {};
  for (const [name, state] of Object.entries(params)) {
    const shape = [state.expAvg.length];
    tensors.set(`${OPTIMIZER_PREFIX}${name}/exp_avg`, { shape, data: state.expAvg });
    tensors.set(`${OPTIMIZER_PREFIX}${name}/exp_avg_sq`, { shape, data: state.expAvgSq });
    steps[name] = state.step;
  }
  metadata[TRAINER_KEY] = JSON.stringify(checkpoint.trainer);
  metadata[ADAM_KEY] = JSON.stringify({ ...adamScalars, steps });
  await writeFileAtomic(path, encodeSafetensors([...tensors], metadata));
}

/** Saves the model alone (the best checkpoint, what `eval`, `decode` and the viewer load). */
export async function saveModelFile(path: string, model: EmgModel): Promise<void> {
  await writeFileAtomic(path, saveWeights(model));
}

/**
 * Reads a checkpoint written by `saveCheckpoint`: builds its model and
 * returns the trainer and optimiser state. Corrupt or foreign files fail
 * with one line naming `path`.
 */
export async function loadCheckpoint(path: string): Promise<{ model: EmgModel } & Checkpoint> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CheckpointError(
      `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  try {
    const { metadata } = decodeSafetensors(bytes);
    const { manifest, tensors } = loadWeights(bytes);
    const trainerJson = metadata[TRAINER_KEY];
    const adamJson = metadata[ADAM_KEY];
    if (trainerJson === undefined || adamJson === undefined) {
      throw new Error("not a training checkpoint (no trainer state); a model file resumes nothing");
    }
    const { steps, ...adamScalars } = JSON.parse(adamJson) as Omit<AdamState, "params"> & {
      steps: Record<string, number>;
    };
    const modelTensors = new Map<string, HostTensor>();
    for (const [name, tensor] of tensors) {
      if (!name.startsWith(OPTIMIZER_PREFIX)) modelTensors.set(name, tensor);
    }
    const params: AdamState["params"] = {};
    for (const [name, step] of Object.entries(steps)) {
      const expAvg = tensors.get(`${OPTIMIZER_PREFIX}${name}/exp_avg`)?.data;
      const expAvgSq = tensors.get(`${OPTIMIZER_PREFIX}${name}/exp_avg_sq`)?.data;
      if (expAvg === undefined || expAvgSq === undefined) {
        throw new Error(`optimizer state of ${name} is missing`);
      }
      params[name] = { step, expAvg, expAvgSq };
    }
    const model = createModel(manifest.kind, manifest.config as object);
    try {
      assignWeights(model, modelTensors);
    } catch (error) {
      model.dispose();
      throw error;
    }
    return {
      model,
      trainer: JSON.parse(trainerJson) as TrainerState,
      optimizer: { ...adamScalars, params },
    };
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError(`${path}: ${(error as Error).message}`);
  }
}

/** The trainable variables of a model by parameter name, as the optimiser takes them. */
export function trainableParams(model: EmgModel): Array<[string, tf.Variable]> {
  return flatten<tf.Variable>(model.params);
}
