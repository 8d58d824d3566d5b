import * as tf from "@tensorflow/tfjs-core";
import { registerWasmConv2dBackpropFilter } from "../gradients/wasm-conv2d-backprop-filter.js";
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
 * Valid (unpadded) convolution over time: (T, N, in, W) -> (T - K + 1, N, out, W),
 * out[t, n, o, w] = bias[o] + Σ_{i,k} weight[o, i, 0, k] · x[t + k, n, i, w].
 *
 * Runs as one `tf.conv2d` on an NHWC view (1, T, N · W, in) with filter
 * (K, 1, in, out), so the time axis is the image height and every (n, w) is
 * a column; the wasm backend's missing filter gradient is registered on first
 * use (see `registerWasmConv2dBackpropFilter`).
 */
export function temporalConv(params: TemporalConvParams, x: tf.Tensor): tf.Tensor {
  registerWasmConv2dBackpropFilter();
  const [frames, batch, inChannels, width] = x.shape as [number, number, number, number];
  const [outChannels, , , kernelWidth] = params.weight.shape as [number, number, number, number];
  return tf.tidy(() => {
    const columns = tf.reshape(tf.transpose(x, [0, 1, 3, 2]), [
      1,
      frames,
      batch * width,
      inChannels,
    ]);
    const filter = tf.transpose(params.weight, [3, 2, 1, 0]) as tf.Tensor4D;
    const convolved = tf.add(tf.conv2d(columns as tf.Tensor4D, filter, 1, "valid"), params.bias);
    const outFrames = frames - kernelWidth + 1;
    return tf.transpose(
      tf.reshape(convolved, [outFrames, batch, width, outChannels]),
      [0, 1, 3, 2],
    );
  });
}
