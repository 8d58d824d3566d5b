/**
 * The optimiser loop the finger classifier and the encoder's pretraining share (browser-safe):
 * a step or wall-clock budget, each step's randomness from (seed, step), gradient clipping,
 * Adam, a stop on a non-finite loss or gradient, the mean of the last 10 losses, progress.
 */
import { Random } from "@emgkit/emg-transforms";
import * as tf from "@tensorflow/tfjs-core";
import { mixSeed } from "../data/seeds.js";
import type { Adam } from "../optim/adam.js";
import { clipGradNorm } from "../optim/clip-grad.js";
import { type NamedTensors, namedEntries } from "../optim/named-tensors.js";
import type { FingerTrainProgress, FingerTrainSummary } from "./train.js";

export interface StepLoopOptions {
  /** Optimiser steps (Infinity: `maxSeconds` alone ends the loop). */
  steps: number;
  /** Wall-clock limit, seconds (Infinity: none). */
  maxSeconds: number;
  /** With the step number, seeds each step's `Random`. */
  seed: number;
  lr: number;
  /** Gradient clipping by total norm (0: none). */
  clipNorm: number;
  /** Steps between progress reports (also after the last). */
  progressEvery: number;
  onProgress?: (progress: FingerTrainProgress) => void;
  /** What is trained, for the error on a non-finite loss or gradient. */
  what: string;
}

/**
 * Runs `computeStep` (the loss and the gradients, which the loop disposes) and applies its
 * gradients with `adam` until the budget is spent; the caller owns `adam`. Throws when a loss
 * or gradient norm is not finite (nothing is applied at that step).
 */
export async function runStepLoop(
  adam: Adam,
  options: StepLoopOptions,
  computeStep: (random: Random, step: number) => { loss: number; grads: NamedTensors },
): Promise<FingerTrainSummary> {
  const { steps, maxSeconds, lr, clipNorm } = options;
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const recent: number[] = [];
  let step = 0;
  while (step < steps && elapsed() < maxSeconds) {
    const { loss, grads } = computeStep(new Random(mixSeed(options.seed, step)), step);
    let applied = Number.isFinite(loss);
    if (applied && clipNorm > 0) {
      const clipped = clipGradNorm(grads, clipNorm);
      applied = Number.isFinite(clipped.totalNorm);
      if (applied) adam.apply(clipped.grads, lr);
      tf.dispose(namedEntries(clipped.grads).map(([, g]) => g));
    } else if (applied) {
      adam.apply(grads, lr);
    }
    tf.dispose(namedEntries(grads).map(([, g]) => g));
    if (!applied) {
      throw new Error(
        `${options.what}: loss or gradient is not finite at step ${step} (loss ${loss})`,
      );
    }
    step += 1;
    recent.push(loss);
    if (recent.length > 10) recent.shift();
    if (options.onProgress && (step % options.progressEvery === 0 || step === steps)) {
      options.onProgress({
        step,
        ...(Number.isFinite(steps) ? { steps } : {}),
        loss,
        elapsedSeconds: elapsed(),
      });
      // Lets timers and output run between steps (progress bars, signals).
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  return {
    steps: step,
    seconds: elapsed(),
    loss: recent.length === 0 ? Number.NaN : recent.reduce((a, b) => a + b, 0) / recent.length,
  };
}
