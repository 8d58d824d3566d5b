import * as tf from "@tensorflow/tfjs-core";
import { type TemporalConvParams, temporalConv } from "./temporal-conv.js";

/**
 * Dilated causal convolution over time, (T, N, in) -> (T, N, out):
 * out[t] = bias + Σ_k weight[:, :, 0, k] · x[t - (K - 1 - k) · dilation], with
 * zeros before the first frame, so out[t] sees x[t - (K - 1) · dilation .. t]
 * and never a later frame. As PyTorch: left-pad (K - 1) · dilation frames, then
 * `nn.Conv2d(in, out, (1, K), dilation=(1, dilation))` on (N, in, 1, T).
 *
 * Computed as `temporalConv` (XNNPACK convolutions forward and backward) on
 * the left-padded input.
 */
export function causalConv(
  params: TemporalConvParams,
  x: tf.Tensor3D,
  dilation: number,
): tf.Tensor3D {
  const [frames, batch] = x.shape;
  const [outChannels, , , kernelWidth] = params.weight.shape as [number, number, number, number];
  const history = (kernelWidth - 1) * dilation;
  return tf.tidy(() => {
    const padded = tf.pad(tf.expandDims(x, 3), [
      [history, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    return tf.reshape(temporalConv(params, padded, dilation), [
      frames,
      batch,
      outChannels,
    ]) as tf.Tensor3D;
  });
}
