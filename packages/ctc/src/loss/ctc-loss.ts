/**
 * The CTC loss as a tfjs op with a custom gradient, equal to `torch.nn.functional.ctc_loss` in
 * value and in gradient. The inputs are read with dataSync and the forward-backward runs on the
 * CPU over typed arrays in float64, so it works unchanged on every backend.
 */
import * as tf from "@tensorflow/tfjs-core";
import { logSpaceForwardBackward } from "./log-space-forward-backward.js";
import { ForwardBackwardWorkspace, scaledForwardBackward } from "./scaled-forward-backward.js";
import { buildSequence, minimumInputLength } from "./sequence.js";
import { type CtcTargets, type IntegerInput, readLengths, readTargets } from "./targets.js";

export type CtcReduction = "none" | "sum" | "mean";

export interface CtcLossOptions {
  /** Class index of the blank. Default 0. */
  blank?: number;
  /**
   * "none": the (N,) losses; "sum": their sum; "mean" (default): each loss divided by its target
   * length (at least 1), averaged over the batch.
   */
  reduction?: CtcReduction;
  /** Replace infinite losses (targets that cannot fit in the input) by 0, with zero gradient. */
  zeroInfinity?: boolean;
}

interface BatchResult {
  /** Negative log-likelihoods, (N,); Infinity where no alignment exists. */
  losses: Float64Array;
  /** Gradient of each sequence's loss w.r.t. logProbs, (T, N, C); 0 at t >= T_n. */
  unitGradient: Float32Array;
}

function forwardBackwardBatch(
  logProbs: Float32Array,
  shape: readonly [number, number, number],
  inputLengths: Int32Array,
  targets: ReturnType<typeof readTargets>,
  blank: number,
  zeroInfinity: boolean,
): BatchResult {
  const [, batchSize, numClasses] = shape;
  const losses = new Float64Array(batchSize);
  const unitGradient = new Float32Array(logProbs.length);
  const workspace = new ForwardBackwardWorkspace();
  for (let n = 0; n < batchSize; n++) {
    const frames = inputLengths[n] as number;
    const start = targets.offsets[n] as number;
    const labels = targets.labels.subarray(start, start + (targets.lengths[n] as number));
    let loss: number;
    if (frames === 0) {
      loss = labels.length === 0 ? 0 : Number.POSITIVE_INFINITY;
    } else if (frames < minimumInputLength(labels)) {
      loss = Number.POSITIVE_INFINITY;
    } else {
      const sequence = buildSequence(logProbs, shape, n, frames, labels, blank);
      loss =
        scaledForwardBackward(sequence, unitGradient, workspace) ??
        logSpaceForwardBackward(sequence, unitGradient);
    }
    if (loss === Number.POSITIVE_INFINITY) {
      // PyTorch: NaN gradient for an impossible target, or zero with zero_infinity.
      const fill = zeroInfinity ? 0 : Number.NaN;
      for (let t = 0; t < frames; t++) {
        const from = (t * batchSize + n) * numClasses;
        unitGradient.fill(fill, from, from + numClasses);
      }
      if (zeroInfinity) loss = 0;
    }
    losses[n] = loss;
  }
  return { losses, unitGradient };
}

/**
 * CTC loss of `logProbs`, (T, N, C) float32 log-probabilities, time first as in PyTorch.
 *
 * @param targets padded (N, S) or concatenated (sum of target lengths) int labels, none the blank
 * @param inputLengths (N,) frames used per sequence, each in [0, T]
 * @param targetLengths (N,) labels per sequence
 * @returns (N,) float32 for reduction "none", else a float32 scalar. Its gradient w.r.t.
 *   `logProbs` is PyTorch's: exp(lp) - occupancy at t < T_n, 0 beyond. That is the gradient
 *   w.r.t. the logits when logProbs = logSoftmax(logits), which passes it through unchanged.
 */
export function ctcLoss(
  logProbs: tf.Tensor,
  targets: CtcTargets,
  inputLengths: IntegerInput,
  targetLengths: IntegerInput,
  options: CtcLossOptions = {},
): tf.Tensor {
  const { blank = 0, reduction = "mean", zeroInfinity = false } = options;
  if (logProbs.rank !== 3 || logProbs.dtype !== "float32") {
    throw new RangeError(
      `logProbs must be a float32 (T, N, C) tensor, got ${logProbs.dtype} [${logProbs.shape.join(", ")}]`,
    );
  }
  const shape = logProbs.shape as [number, number, number];
  const [frames, batchSize, numClasses] = shape;
  if (!Number.isInteger(blank) || blank < 0 || blank >= numClasses) {
    throw new RangeError(`blank ${blank} is outside [0, ${numClasses})`);
  }
  if (reduction !== "none" && reduction !== "sum" && reduction !== "mean") {
    throw new RangeError(`reduction must be "none", "sum" or "mean", got "${reduction}"`);
  }
  const inputs = readLengths(inputLengths, "inputLengths", batchSize, frames);
  const batchTargets = readTargets(targets, targetLengths, batchSize, numClasses, blank);

  // Reduced loss = sum over n of weight[n] * loss[n] ("none" keeps them apart).
  const weights = new Float64Array(batchSize).fill(1);
  if (reduction === "mean") {
    for (let n = 0; n < batchSize; n++) {
      weights[n] = 1 / (batchSize * Math.max(1, batchTargets.lengths[n] as number));
    }
  }

  const compute = tf.customGrad((...args) => {
    const { losses, unitGradient } = forwardBackwardBatch(
      (args[0] as tf.Tensor).dataSync() as Float32Array,
      shape,
      inputs,
      batchTargets,
      blank,
      zeroInfinity,
    );
    let value: tf.Tensor;
    if (reduction === "none") {
      value = tf.tensor1d(Float32Array.from(losses), "float32");
    } else {
      let reduced = 0;
      for (let n = 0; n < batchSize; n++) reduced += (weights[n] as number) * (losses[n] as number);
      value = tf.scalar(reduced, "float32");
    }
    const gradFunc = (dy: tf.Tensor) => {
      const upstream = dy.dataSync();
      const factors = new Float64Array(batchSize);
      for (let n = 0; n < batchSize; n++) {
        const outer = reduction === "none" ? (upstream[n] as number) : (upstream[0] as number);
        factors[n] = outer * (weights[n] as number);
      }
      const gradient = new Float32Array(unitGradient.length);
      for (let t = 0; t < frames; t++) {
        for (let n = 0; n < batchSize; n++) {
          if (t >= (inputs[n] as number)) continue;
          const factor = factors[n] as number;
          const from = (t * batchSize + n) * numClasses;
          for (let c = from; c < from + numClasses; c++) {
            gradient[c] = (unitGradient[c] as number) * factor;
          }
        }
      }
      return tf.tensor3d(gradient, shape, "float32");
    };
    return { value, gradFunc };
  });
  return compute(logProbs);
}
