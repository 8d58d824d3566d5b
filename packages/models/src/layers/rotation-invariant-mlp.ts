import * as tf from "@tensorflow/tfjs-core";
import { createLinear, type LinearParams, linear } from "./linear.js";

/**
 * emg2qwerty's `RotationInvariantMLP`: `mlp` is an `nn.Sequential` of
 * Linear + ReLU pairs, so its Linear layers sit at the even indices
 * ("0", "2", ...), as in the PyTorch state_dict.
 */
export type RotationInvariantMLPParams = {
  mlp: { [index: string]: LinearParams };
};

export interface RotationInvariantMLPOptions {
  /** Pooling over the rotated copies (default "mean"). */
  pooling?: "mean" | "max";
  /** Electrode shifts, as `torch.roll` shifts on the channel axis (default [-1, 0, 1]). */
  offsets?: readonly number[];
}

export function createRotationInvariantMLP(
  inFeatures: number,
  mlpFeatures: readonly number[],
  nextSeed: () => number,
): RotationInvariantMLPParams {
  if (mlpFeatures.length === 0) throw new Error("mlpFeatures must not be empty");
  const mlp: { [index: string]: LinearParams } = {};
  let features = inFeatures;
  mlpFeatures.forEach((outFeatures, layer) => {
    mlp[String(2 * layer)] = createLinear(features, outFeatures, nextSeed);
    features = outFeatures;
  });
  return { mlp };
}

/** `torch.roll(x, shift, dims=axis)`: element i moves to (i + shift) mod size. */
export function roll(x: tf.Tensor, shift: number, axis: number): tf.Tensor {
  const size = x.shape[axis] as number;
  const s = ((shift % size) + size) % size;
  if (s === 0) return tf.clone(x);
  const tail = tf.slice(x, withAxis(x.rank, axis, size - s), withAxis(x.rank, axis, s, -1));
  const head = tf.slice(x, withAxis(x.rank, axis, 0), withAxis(x.rank, axis, size - s, -1));
  return tf.concat([tail, head], axis);
}

/** A begin (or, with `rest` -1, a size) vector that is `value` on `axis` and 0 (or -1) elsewhere. */
function withAxis(rank: number, axis: number, value: number, rest = 0): number[] {
  return Array.from({ length: rank }, (_, i) => (i === axis ? value : rest));
}

/**
 * One band: (T, N, C, ...) -> (T, N, mlpFeatures.at(-1)). Stacks the band's
 * electrodes rolled by each offset, flattens (C · ...) features, applies the
 * MLP to each rotation and pools over rotations.
 */
export function rotationInvariantMLP(
  params: RotationInvariantMLPParams,
  x: tf.Tensor,
  { pooling = "mean", offsets = [-1, 0, 1] }: RotationInvariantMLPOptions = {},
): tf.Tensor {
  const [frames, batch] = x.shape as [number, number];
  const shifts = offsets.length > 0 ? offsets : [0];
  return tf.tidy(() => {
    const rotated = tf.stack(
      shifts.map((shift) => roll(x, shift, 2)),
      2,
    );
    let h = tf.reshape(rotated, [frames, batch, shifts.length, -1]);
    for (const layer of Object.values(params.mlp)) h = tf.relu(linear(layer, h));
    return pooling === "max" ? tf.max(h, 2) : tf.mean(h, 2);
  });
}
