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
  options: RotationInvariantMLPOptions = {},
): tf.Tensor {
  return tf.tidy(() =>
    tf.squeeze(bandsRotationInvariantMLP([params], tf.expandDims(x, 2), options), [2]),
  );
}

/**
 * Every band at once: (T, N, B, C, ...) -> (T, N, B, mlpFeatures.at(-1)), band b
 * through `bands[b]`; equal to `rotationInvariantMLP` on each band.
 *
 * The rotations move into the first layer's weights rather than into copies
 * of the input: Linear(roll(x, s)) = x · roll(W, -s)ᵀ on the electrode axis,
 * so one matMul against the S rolled weights stacked, (in) -> (S · out),
 * replaces S rolled copies of the input. Bands come out of one band-major
 * transpose (contiguous slices; the wasm backend copies the whole source for
 * every strided one) and run one after another, so one band's activations
 * are alive at a time.
 */
export function bandsRotationInvariantMLP(
  bands: readonly RotationInvariantMLPParams[],
  x: tf.Tensor,
  { pooling = "mean", offsets = [-1, 0, 1] }: RotationInvariantMLPOptions = {},
): tf.Tensor {
  const [frames, batch, numBands, channels] = x.shape as [number, number, number, number];
  const shifts = offsets.length > 0 ? offsets : [0];
  const rows = frames * batch;
  return tf.tidy(() => {
    const bandMajor = tf.unstack(tf.transpose(tf.reshape(x, [rows, numBands, -1]), [1, 0, 2]));
    const pooled = bands.map((band, b) => {
      let h = bandMajor[b] as tf.Tensor; // (M, C · rest)
      Object.values(band.mlp).forEach((layer, index) => {
        const params = index === 0 ? rolledLayer(layer, channels, shifts) : layer;
        h = tf.relu(linear(params, h));
        if (index === 0) h = tf.reshape(h, [rows * shifts.length, -1]);
      });
      const rotations = tf.reshape(h, [rows, shifts.length, -1]);
      return pooling === "max" ? tf.max(rotations, 1) : tf.mean(rotations, 1);
    });
    return tf.reshape(tf.stack(pooled, 1), [frames, batch, numBands, -1]);
  });
}

/** A first layer (out, C · rest) as S layers stacked, (S · out, C · rest), layer s reading x rolled by shifts[s]. */
function rolledLayer(
  layer: LinearParams,
  channels: number,
  shifts: readonly number[],
): LinearParams {
  const [outFeatures, inFeatures] = layer.weight.shape as [number, number];
  const electrodes = tf.reshape(layer.weight, [outFeatures, channels, inFeatures / channels]);
  return {
    weight: tf.reshape(
      tf.concat(
        shifts.map((shift) => roll(electrodes, -shift, 1)),
        0,
      ),
      [shifts.length * outFeatures, inFeatures],
    ),
    bias: tf.tile(layer.bias, [shifts.length]),
  } as LinearParams;
}
