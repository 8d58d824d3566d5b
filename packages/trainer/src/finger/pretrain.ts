/**
 * Pretraining the finger encoder on emg2qwerty-style typing sessions (Node: reads session
 * files, writes the encoder file): finger-like 8-channel 200 Hz signals (`pretrain-data`),
 * standardised per session, random windows with their keystroke labels, the encoder plus the
 * CTC head trained with the trainer's CTC `gradientStep` and Adam; the encoder is saved.
 */
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { openSession, type Session } from "@emgkit/emg-io/node";
import { flatten } from "@emgkit/models";
import type * as tf from "@tensorflow/tfjs-core";
import type { Batch } from "../data/collate.js";
import { Adam } from "../optim/adam.js";
import { writeFileAtomic } from "../train/checkpoint.js";
import { gradientStep } from "../train/ctc-step.js";
import { encodeFingerEncoder } from "./encoder-weights.js";
import {
  defaultFingerFeatureOptions,
  FINGER_CHANNELS,
  FINGER_RATE_HZ,
  type FingerFeatureOptions,
  fingerFeatureCount,
  fingerFeatures,
  fitFingerFeatureStats,
} from "./features.js";
import {
  createFingerCtcModel,
  defaultFingerEncoderConfig,
  type FingerEncoderConfig,
} from "./model.js";
import {
  type CtcWindow,
  drawCtcWindows,
  type FingerLikeSignal,
  fingerLikeSignal,
} from "./pretrain-data.js";
import { runStepLoop } from "./step-loop.js";
import { stackTimeFirst } from "./windows.js";

export interface PretrainFingerOptions {
  /** emg2qwerty HDF5 session files. */
  sessions: string[];
  /** Where the encoder file (safetensors) is written. */
  outFile: string;
  /** Optimiser steps; with `maxSeconds` too, whichever comes first; with neither, 200. */
  steps?: number;
  /** Wall-clock limit of the training loop, seconds (reading the sessions not included). */
  maxSeconds?: number;
  /** Seeds the encoder's initialisation and the windows drawn (default 0). */
  seed?: number;
  /** Encoder shape; `inputFeatures` follows from `features`. */
  encoder?: Partial<Omit<FingerEncoderConfig, "inputFeatures">>;
  features?: FingerFeatureOptions;
  /** Windows per step (default 8). */
  batchSize?: number;
  /** Window length, seconds (default 4, emg2qwerty's 8000 samples). */
  windowSeconds?: number;
  /** Adam learning rate (default 1e-3). */
  lr?: number;
  /** Gradient clipping by total norm (default 1; 0 turns it off). */
  clipNorm?: number;
  onProgress?: (progress: PretrainFingerProgress) => void;
  /** Steps between progress reports (default 10; also after the last). */
  progressEvery?: number;
}

export type PretrainFingerProgress =
  | { phase: "read"; done: number; total: number; session: string }
  | { phase: "train"; step: number; steps?: number; loss: number; elapsedSeconds: number };

export interface PretrainFingerResult {
  outFile: string;
  steps: number;
  /** Seconds of the training loop. */
  seconds: number;
  /** Mean CTC loss of the last 10 steps. */
  loss: number;
  /** Hours of typing data read (at 200 Hz). */
  hours: number;
  /** Trainable scalars of the encoder (the CTC head not counted). */
  encoderParameters: number;
  encoder: FingerEncoderConfig;
}

/** Pretrains an encoder with a CTC head on typing sessions and writes the encoder to `outFile`. */
export async function pretrainFingerEncoder(
  options: PretrainFingerOptions,
): Promise<PretrainFingerResult> {
  if (options.sessions.length === 0) throw new Error("pretraining needs at least one session file");
  const steps = options.steps ?? (options.maxSeconds === undefined ? 200 : Infinity);
  const maxSeconds = options.maxSeconds ?? Infinity;
  const seed = options.seed ?? 0;
  const batchSize = options.batchSize ?? 8;
  const windowLength = Math.round((options.windowSeconds ?? 4) * FINGER_RATE_HZ);
  const lr = options.lr ?? 1e-3;
  const clipNorm = options.clipNorm ?? 1;
  const features = { ...defaultFingerFeatureOptions, ...options.features };
  const inputFeatures = fingerFeatureCount(FINGER_CHANNELS, features.envelopeSamples);
  const encoder: FingerEncoderConfig = {
    ...defaultFingerEncoderConfig,
    ...options.encoder,
    inputFeatures,
  };

  const sessions: Session[] = [];
  try {
    // Each session's features, standardised with its own statistics.
    const signals: Array<FingerLikeSignal & { features: Float32Array }> = [];
    for (const [i, path] of options.sessions.entries()) {
      const session = await openSession(path);
      sessions.push(session);
      const signal = fingerLikeSignal(session);
      const stats = fitFingerFeatureStats([signal], FINGER_CHANNELS, features);
      signals.push({ ...signal, features: fingerFeatures(signal, stats) });
      options.onProgress?.({
        phase: "read",
        done: i + 1,
        total: options.sessions.length,
        session: path,
      });
    }
    const hours = signals.reduce((sum, s) => sum + s.frames, 0) / FINGER_RATE_HZ / 3600;

    const model = createFingerCtcModel(encoder, seed);
    const adam = new Adam(flatten<tf.Variable>(model.params));
    try {
      const summary = await runStepLoop(
        adam,
        {
          steps,
          maxSeconds,
          seed,
          lr,
          clipNorm,
          progressEvery: options.progressEvery ?? 10,
          ...(options.onProgress === undefined
            ? {}
            : { onProgress: (p) => options.onProgress?.({ phase: "train", ...p }) }),
          what: "finger pretraining",
        },
        (random) => {
          const windows = drawCtcWindows(sessions, signals, windowLength, batchSize, random);
          return gradientStep(model, ctcBatch(windows, signals, windowLength, inputFeatures));
        },
      );
      const bytes = encodeFingerEncoder(model.finger.params.encoder, encoder, features, {
        task: "ctc",
        ...summary,
        hours,
        seed,
        sessions: options.sessions,
      });
      await mkdir(dirname(options.outFile), { recursive: true });
      await writeFileAtomic(options.outFile, bytes);
      return {
        outFile: options.outFile,
        ...summary,
        hours,
        encoderParameters:
          model.finger.parameterCount -
          model.finger.params.head.weight.size -
          model.finger.params.head.bias.size,
        encoder,
      };
    } finally {
      adam.dispose();
      model.dispose();
    }
  } finally {
    for (const session of sessions) session.close();
  }
}

/** Windows as the trainer's CTC `Batch`: features ride as (T, N, 1, 1, F), all T frames long. */
function ctcBatch(
  windows: readonly CtcWindow[],
  signals: ReadonlyArray<{ features: Float32Array }>,
  windowLength: number,
  features: number,
): Batch {
  const N = windows.length;
  const S = Math.max(0, ...windows.map((w) => w.labels.length));
  const targets = new Int32Array(N * S);
  windows.forEach((w, n) => {
    targets.set(w.labels, n * S);
  });
  const inputs = stackTimeFirst(
    windows.map(({ signal, start }) =>
      (signals[signal] as { features: Float32Array }).features.subarray(
        start * features,
        (start + windowLength) * features,
      ),
    ),
    windowLength,
    features,
  );
  return {
    inputs,
    shape: [windowLength, N, 1, 1, features],
    inputLengths: new Int32Array(N).fill(windowLength),
    targets,
    targetLengths: Int32Array.from(windows, (w) => w.labels.length),
  };
}
