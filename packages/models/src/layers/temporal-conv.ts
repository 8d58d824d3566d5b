import * as tf from "@tensorflow/tfjs-core";
import { uniformVariable } from "../init.js";

/**
 * A convolution along time shared across a width axis, in PyTorch's
 * `nn.Conv2d(in, out, kernel_size=(1, K))` layout (emg2qwerty's TDS block
 * convolves (N, channels, width, T) this way); with width 1 it is a plain
 * `nn.Conv1d` over time.
 */
export type TemporalConvParams = {
  /** (out, in, 1, K) */
  weight: tf.Variable;
  /** (out) */
  bias: tf.Variable;
};

/** PyTorch-default init: U(-1/sqrt(in · K), 1/sqrt(in · K)) for weight and bias. */
export function createTemporalConv(
  inChannels: number,
  outChannels: number,
  kernelWidth: number,
  nextSeed: () => number,
): TemporalConvParams {
  const bound = 1 / Math.sqrt(inChannels * kernelWidth);
  return {
    weight: uniformVariable([outChannels, inChannels, 1, kernelWidth], bound, nextSeed()),
    bias: uniformVariable([outChannels], bound, nextSeed()),
  };
}

/**
 * Valid (unpadded) convolution over time with dilation d (default 1):
 * (T, N, in, W) -> (T - (K - 1) · d, N, out, W),
 * out[t, n, o, w] = bias[o] + Σ_{i,k} weight[o, i, 0, k] · x[t + k · d, n, i, w].
 *
 * Runs as one `tf.conv2d` on an NHWC view (1, T, N · W, in) with filter
 * (K, 1, in, out), so the time axis is the image height and every (n, w) is
 * a column. The gradient is written out (one tape entry for the whole layer)
 * and is made of forward convolutions only, which the wasm backend runs
 * through XNNPACK, about 10x faster than its own `Conv2DBackpropInput` and
 * than a per-tap filter gradient:
 * - input: the full correlation of dy (padded by (K - 1) · d frames on both
 *   sides) with the time-reversed filter, in and out swapped, same dilation;
 * - filter: a convolution whose batch is the input channels, whose channels
 *   are the N · W columns, whose kernel is dy over T_out frames and whose
 *   stride is d: dW[k, i, o] = Σ_{t, p} x[t + k · d, p, i] · dy[t, p, o].
 * Only the input and the weight are kept for the backward pass.
 */
export function temporalConv(params: TemporalConvParams, x: tf.Tensor, dilation = 1): tf.Tensor {
  let convolve = convolutions.get(dilation);
  if (convolve === undefined) {
    convolve = convolveTime(dilation);
    convolutions.set(dilation, convolve);
  }
  return convolve(x, params.weight, params.bias);
}

/** One custom-gradient op per dilation (the op's inputs can only be tensors). */
const convolutions = new Map<number, (...inputs: tf.Tensor[]) => tf.Tensor>();

/** (T, N, in, W) -> the conv's NHWC view (1, T, N · W, in). */
function toColumns(x: tf.Tensor): tf.Tensor4D {
  const [frames, batch, channels, width] = x.shape as [number, number, number, number];
  const channelsLast = width === 1 ? x : tf.transpose(x, [0, 1, 3, 2]);
  return tf.reshape(channelsLast, [1, frames, batch * width, channels]);
}

/** The NHWC view (1, T, N · W, C) -> (T, N, C, W). */
function fromColumns(columns: tf.Tensor, batch: number, width: number): tf.Tensor {
  const [, frames, , channels] = columns.shape as [number, number, number, number];
  const channelsLast = tf.reshape(columns, [frames, batch, width, channels]);
  return width === 1
    ? tf.reshape(channelsLast, [frames, batch, channels, 1])
    : tf.transpose(channelsLast, [0, 1, 3, 2]);
}

const convolveTime = (dilation: number) =>
  tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, weight, bias, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [, batch, , width] = x.shape as [number, number, number, number];
    save([x, weight]);
    const filter = tf.transpose(weight, [3, 2, 1, 0]) as tf.Tensor4D; // (K, 1, in, out)
    const convolved = tf.add(
      tf.conv2d(toColumns(x), filter, 1, "valid", "NHWC", [dilation, 1]),
      bias,
    );
    return {
      value: fromColumns(convolved, batch, width),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [savedX, savedWeight] = saved as [tf.Tensor, tf.Tensor];
          const [frames, , inChannels] = savedX.shape as [number, number, number, number];
          const [outChannels, , , kernelWidth] = savedWeight.shape as number[] as [
            number,
            number,
            number,
            number,
          ];
          const dyColumns = toColumns(dy); // (1, T', P, out)
          const [, outFrames, positions] = dyColumns.shape;
          // (K, 1, out, in), taps reversed in time.
          const flipped = tf.reverse(tf.transpose(savedWeight, [3, 2, 0, 1]), 0) as tf.Tensor4D;
          const reach = (kernelWidth - 1) * dilation;
          const dColumns = tf.conv2d(
            dyColumns,
            flipped,
            1,
            [
              [0, 0],
              [reach, reach],
              [0, 0],
              [0, 0],
            ],
            "NHWC",
            [dilation, 1],
          );
          const byChannel = tf.transpose(
            tf.reshape(toColumns(savedX), [frames, 1, positions, inChannels]),
            [3, 0, 1, 2],
          ) as tf.Tensor4D; // (in, T, 1, P)
          const taps = tf.conv2d(
            byChannel,
            tf.reshape(dyColumns, [outFrames, 1, positions, outChannels]) as tf.Tensor4D,
            [dilation, 1],
            "valid",
          ); // (in, K, 1, out)
          return [
            fromColumns(dColumns, batch, width),
            tf.transpose(taps, [3, 0, 2, 1]), // (out, in, 1, K)
            tf.sum(tf.reshape(dyColumns, [-1, outChannels]), 0),
          ];
        }),
    };
  });
