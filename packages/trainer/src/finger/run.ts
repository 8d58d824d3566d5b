/**
 * One run of the finger task (Node: reads CSV and encoder files): the first `trainSeconds` of
 * the training recordings -> feature statistics and windows -> a classifier (fresh, or on a
 * pretrained encoder) trained for a number of steps or seconds -> causal predictions over
 * every test recording -> accuracy, per-class scores, macro F1 and the confusion matrix.
 */
import { readFile } from "node:fs/promises";
import { FINGER_CLASS_NAMES, type FingerRecording, readFingerCsv } from "@emgkit/emg-io/node";
import { assignFingerEncoder, decodeFingerEncoder } from "./encoder-weights.js";
import {
  type ChannelSignal,
  defaultFingerFeatureOptions,
  FINGER_CHANNELS,
  FINGER_RATE_HZ,
  type FingerFeatureOptions,
  fingerFeatureCount,
  fingerFeatures,
  fitFingerFeatureStats,
} from "./features.js";
import { type ClassScores, classificationMetrics } from "./metrics.js";
import {
  createFingerModel,
  defaultFingerEncoderConfig,
  FINGER_CLASSES,
  type FingerEncoderConfig,
} from "./model.js";
import {
  type FingerTrainOptions,
  type FingerTrainProgress,
  predictFinger,
  trainFingerClassifier,
} from "./train.js";

/** How far (relative) a recording's rate may be from 200 Hz (timestamps of real armbands jitter). */
const RATE_TOLERANCE = 0.1;

export interface FingerTaskOptions {
  /** Training recordings (finger CSVs); their first `trainSeconds`, in this order, are used. */
  trainCsv: string[];
  /** Test recordings, each scored whole. */
  testCsv: string[];
  /** Seconds of training data (taken from the start; default: all of it). */
  trainSeconds?: number;
  /** An encoder file from `pretrainFingerEncoder`: its weights initialise the encoder. */
  pretrainedEncoder?: string;
  /** Optimiser steps; with `maxSeconds` too, whichever comes first; with neither, 300. */
  steps?: number;
  /** Wall-clock limit of training, seconds. */
  maxSeconds?: number;
  /** Seeds the classifier's initialisation and the training windows (default 0). */
  seed?: number;
  /** Encoder shape without a pretrained encoder (with one, the file's is used). */
  encoder?: Partial<Omit<FingerEncoderConfig, "inputFeatures">>;
  /** Feature options without a pretrained encoder (with one, the file's are used). */
  features?: FingerFeatureOptions;
  /** Batch, window, learning rate, clipping, freezing: see `FingerTrainOptions`. */
  training?: Omit<FingerTrainOptions, "steps" | "maxSeconds" | "seed" | "onProgress">;
  onProgress?: (progress: FingerTrainProgress) => void;
}

export interface FingerTaskResult {
  /** Fraction of test frames classified correctly. */
  accuracy: number;
  /** Per class, in class-id order (rest, thumb, index, middle, ring, pinky). */
  perClass: ClassScores[];
  macroF1: number;
  /** (6, 6) frame counts, rows true class, columns predicted. */
  confusion: number[][];
  classNames: string[];
  /** Seconds of training data used (less than asked when the recordings are shorter). */
  trainSeconds: number;
  /** Seconds of test data scored. */
  testSeconds: number;
  /** Trainable scalars of the classifier (encoder and head). */
  parameters: number;
  /** Optimiser steps taken and the training loop's wall-clock seconds. */
  steps: number;
  trainingSeconds: number;
  /** Mean training loss of the last 10 steps. */
  loss: number;
  /** The encoder file used, if any. */
  pretrainedEncoder?: string;
  seed: number;
}

/** A labelled recording at the finger rate. */
export interface FingerSignal extends ChannelSignal {
  labels: Uint8Array;
}

/**
 * A finger CSV as a signal at 200 Hz; a recording at another rate is refused with a one-line
 * error (resampling a labelled recording is left to the caller).
 */
export async function readFingerSignal(path: string): Promise<FingerSignal> {
  return fingerSignal(await readFingerCsv(path), path);
}

/** `readFingerSignal` on a parsed recording. */
export function fingerSignal(
  recording: FingerRecording,
  source = "finger recording",
): FingerSignal {
  const rate = recording.sampleRateHz;
  if (Math.abs(rate / FINGER_RATE_HZ - 1) > RATE_TOLERANCE) {
    throw new Error(
      `${source}: recorded at ${rate} Hz; the finger task needs ${FINGER_RATE_HZ} Hz`,
    );
  }
  return { emg: recording.emg, frames: recording.labels.length, labels: recording.labels };
}

/** The first `frames` frames of the signals, in order (the last one cut, the rest dropped). */
export function firstFrames(signals: readonly FingerSignal[], frames: number): FingerSignal[] {
  const out: FingerSignal[] = [];
  let left = frames;
  for (const signal of signals) {
    if (left <= 0) break;
    const take = Math.min(signal.frames, left);
    out.push({
      emg: signal.emg.subarray(0, take * FINGER_CHANNELS),
      frames: take,
      labels: signal.labels.subarray(0, take),
    });
    left -= take;
  }
  return out;
}

/** Runs the finger task once (see the module comment). */
export async function runFingerTask(options: FingerTaskOptions): Promise<FingerTaskResult> {
  if (options.trainCsv.length === 0) throw new Error("the finger task needs a training recording");
  if (options.testCsv.length === 0) throw new Error("the finger task needs a test recording");
  const trainSeconds = options.trainSeconds ?? Infinity;
  if (!(trainSeconds > 0)) throw new Error(`trainSeconds must be > 0, got ${trainSeconds}`);
  const seed = options.seed ?? 0;

  const pretrained =
    options.pretrainedEncoder === undefined
      ? undefined
      : decodeFingerEncoder(new Uint8Array(await readFile(options.pretrainedEncoder)));
  const features = pretrained?.features ?? { ...defaultFingerFeatureOptions, ...options.features };
  const encoder: FingerEncoderConfig = pretrained?.config ?? {
    ...defaultFingerEncoderConfig,
    ...options.encoder,
    inputFeatures: fingerFeatureCount(FINGER_CHANNELS, features.envelopeSamples),
  };

  const train = firstFrames(
    await Promise.all(options.trainCsv.map(readFingerSignal)),
    Number.isFinite(trainSeconds) ? Math.round(trainSeconds * FINGER_RATE_HZ) : Infinity,
  );
  const test = await Promise.all(options.testCsv.map(readFingerSignal));
  const stats = fitFingerFeatureStats(train, FINGER_CHANNELS, features);

  const model = createFingerModel(encoder, FINGER_CLASSES, seed);
  try {
    if (pretrained !== undefined) assignFingerEncoder(model.params.encoder, pretrained.tensors);
    const summary = await trainFingerClassifier(
      model,
      train.map((signal) => ({ ...signal, features: fingerFeatures(signal, stats) })),
      {
        ...options.training,
        ...(options.steps === undefined ? {} : { steps: options.steps }),
        ...(options.maxSeconds === undefined ? {} : { maxSeconds: options.maxSeconds }),
        seed,
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      },
    );
    const truth: Uint8Array[] = [];
    const predicted: Uint8Array[] = [];
    for (const signal of test) {
      truth.push(signal.labels);
      predicted.push(
        predictFinger(model, fingerFeatures(signal, stats), signal.frames).predictions,
      );
    }
    const metrics = classificationMetrics(concat(truth), concat(predicted), FINGER_CLASS_NAMES);
    const frames = (signals: readonly FingerSignal[]) => signals.reduce((n, s) => n + s.frames, 0);
    return {
      accuracy: metrics.accuracy,
      perClass: metrics.perClass,
      macroF1: metrics.macroF1,
      confusion: metrics.confusion,
      classNames: [...FINGER_CLASS_NAMES],
      trainSeconds: frames(train) / FINGER_RATE_HZ,
      testSeconds: frames(test) / FINGER_RATE_HZ,
      parameters: model.parameterCount,
      steps: summary.steps,
      trainingSeconds: summary.seconds,
      loss: summary.loss,
      ...(options.pretrainedEncoder === undefined
        ? {}
        : { pretrainedEncoder: options.pretrainedEncoder }),
      seed,
    };
  } finally {
    model.dispose();
  }
}

function concat(arrays: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}
