/**
 * Training and running the finger classifier (browser-safe: tfjs only, no files): per-frame
 * softmax cross-entropy on random windows, Adam, seeded; causal prediction over whole
 * recordings in chunks.
 */
import { flatten } from "@emgkit/models";
import * as tf from "@tensorflow/tfjs-core";
// Gradients of the built-in ops are registered by this import, not by tfjs-core itself.
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import { Adam } from "../optim/adam.js";
import { type FingerModel, fingerReceptiveField } from "./model.js";
import { runStepLoop } from "./step-loop.js";
import { type LabelledFeatures, sampleFingerBatch } from "./windows.js";

export interface FingerTrainOptions {
  /**
   * Optimiser steps. With `maxSeconds` too, training stops at whichever comes first; with
   * neither, 300 steps.
   */
  steps?: number;
  /** Wall-clock limit of the training loop, seconds (makes the step count machine-dependent). */
  maxSeconds?: number;
  /** Windows per step (default 16). */
  batchSize?: number;
  /** Scored frames per window (default 400: 2 s at 200 Hz). */
  windowSamples?: number;
  /**
   * Frames before each scored window that the model sees but the loss ignores, so scored
   * frames have their full history as at test time (default receptive field - 1).
   */
  contextSamples?: number;
  /** Adam learning rate (default 3e-3). */
  lr?: number;
  /** Gradient clipping by total norm (default 1; 0 turns it off). */
  clipNorm?: number;
  /** Seeds the windows drawn (default 0); the model's initialisation has its own seed. */
  seed?: number;
  /** Train the head only, keeping the encoder as it is (default false: fine-tune all). */
  freezeEncoder?: boolean;
  /** Called every `progressEvery` steps (default 10) and after the last. */
  onProgress?: (progress: FingerTrainProgress) => void;
  progressEvery?: number;
}

export interface FingerTrainProgress {
  step: number;
  /** The step budget, when there is one. */
  steps?: number;
  /** This step's mean cross-entropy (nats per frame). */
  loss: number;
  elapsedSeconds: number;
}

export interface FingerTrainSummary {
  steps: number;
  seconds: number;
  /** Mean loss of the last 10 steps. */
  loss: number;
}

/**
 * Mean per-frame softmax cross-entropy of the last `labels.shape[0]` frames of `logits`.
 * @param logits (T, N, C)
 * @param oneHot (W, N, C), W <= T: targets of the last W frames
 */
export function frameCrossEntropy(logits: tf.Tensor3D, oneHot: tf.Tensor3D): tf.Scalar {
  return tf.tidy(() => {
    const [frames] = logits.shape;
    const [scored, batch] = oneHot.shape;
    const tail = tf.slice(logits, [frames - scored, 0, 0], [scored, -1, -1]);
    return tf.div(tf.neg(tf.sum(tf.mul(tf.logSoftmax(tail), oneHot))), scored * batch) as tf.Scalar;
  });
}

/** (W · N) labels -> (W, N, classes) one-hot, built on the host. */
function oneHotOf(labels: Int32Array, shape: [number, number], classes: number): tf.Tensor3D {
  const values = new Float32Array(labels.length * classes);
  labels.forEach((label, i) => {
    values[i * classes + label] = 1;
  });
  return tf.tensor3d(values, [...shape, classes]);
}

/**
 * Trains `model` in place on random windows of `signals` (features and per-frame labels).
 * Reproducible: the windows of step s come from (seed, s) only, so the same model seed,
 * signals and options give the same weights on the same backend (when `steps` ends training).
 */
export async function trainFingerClassifier(
  model: FingerModel,
  signals: readonly LabelledFeatures[],
  options: FingerTrainOptions = {},
): Promise<FingerTrainSummary> {
  const steps = options.steps ?? (options.maxSeconds === undefined ? 300 : Infinity);
  const maxSeconds = options.maxSeconds ?? Infinity;
  const batchSize = options.batchSize ?? 16;
  const windowSamples = options.windowSamples ?? 400;
  const context = options.contextSamples ?? fingerReceptiveField(model.config.encoder) - 1;
  const lr = options.lr ?? 3e-3;
  const clipNorm = options.clipNorm ?? 1;
  const seed = options.seed ?? 0;
  const classes = model.config.classes;
  for (const signal of signals) {
    for (let t = 0; t < signal.frames; t++) {
      const label = signal.labels[t] as number;
      if (!(label >= 0 && label < classes)) {
        throw new RangeError(`label ${label} at frame ${t} is not a class id in 0..${classes - 1}`);
      }
    }
  }
  const trained = options.freezeEncoder
    ? flatten<tf.Variable>(model.params.head, "head")
    : flatten<tf.Variable>(model.params);
  const adam = new Adam(trained);
  try {
    return await runStepLoop(
      adam,
      {
        steps,
        maxSeconds,
        seed,
        lr,
        clipNorm,
        progressEvery: options.progressEvery ?? 10,
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
        what: "finger training",
      },
      (random) => {
        const batch = sampleFingerBatch(signals, context + windowSamples, batchSize, random);
        const scored = batch.labels.subarray(context * batchSize);
        const inputs = tf.tensor3d(batch.inputs, batch.shape);
        const oneHot = oneHotOf(scored, [windowSamples, batchSize], classes);
        const { value, grads } = tf.variableGrads(
          () => frameCrossEntropy(model.logits(inputs), oneHot),
          trained.map(([, variable]) => variable),
        );
        inputs.dispose();
        oneHot.dispose();
        const loss = value.dataSync()[0] as number;
        value.dispose();
        return { loss, grads };
      },
    );
  } finally {
    adam.dispose();
  }
}

/**
 * Class scores of every frame of a whole recording, causally: frame t's prediction sees
 * frames <= t only. Runs in chunks of `chunkFrames` frames, each preceded by receptive field - 1
 * frames of history, which gives the same scores as one pass over the whole recording.
 * @param features (T, F) row-major
 * @returns (T, classes) logits and (T,) arg-max class ids
 */
export function predictFinger(
  model: FingerModel,
  features: Float32Array,
  frames: number,
  { chunkFrames = 4096 }: { chunkFrames?: number } = {},
): { logits: Float32Array; predictions: Uint8Array } {
  const width = model.config.encoder.inputFeatures;
  if (features.length !== frames * width) {
    throw new RangeError(
      `features hold ${features.length} values; ${frames} frames need ${frames * width}`,
    );
  }
  const classes = model.config.classes;
  const history = fingerReceptiveField(model.config.encoder) - 1;
  const logits = new Float32Array(frames * classes);
  for (let start = 0; start < frames; start += chunkFrames) {
    const end = Math.min(start + chunkFrames, frames);
    const from = Math.max(start - history, 0);
    const chunk = tf.tidy(() => {
      const x = tf.tensor3d(features.subarray(from * width, end * width), [end - from, 1, width]);
      const scores = model.logits(x);
      return tf.slice(scores, [start - from, 0, 0], [end - start, 1, classes]).dataSync();
    });
    logits.set(chunk, start * classes);
  }
  const predictions = new Uint8Array(frames);
  for (let t = 0; t < frames; t++) {
    let best = 0;
    for (let c = 1; c < classes; c++) {
      if ((logits[t * classes + c] as number) > (logits[t * classes + best] as number)) best = c;
    }
    predictions[t] = best;
  }
  return { logits, predictions };
}
