import * as tf from "@tensorflow/tfjs-core";
import { type TemporalConvParams, temporalConv } from "./temporal-conv.js";

/**
 * Dilated causal convolution over time, (T, N, in) -> (T, N, out):
 * out[t] = bias + Σ_k weight[:, :, 0, k] · x[t - (K - 1 - k) · dilation], with
 * zeros before the first frame, so out[t] sees x[t - (K - 1) · dilation .. t]
 * and never a later frame. As PyTorch: left-pad (K - 1) · dilation frames, then
 * `nn.Conv2d(in, out, (1, K), dilation=(1, dilation))` on (N, in, 1, T).
 *
 * tfjs' conv2d gradient refuses dilations above 1, so the dilation is folded
 * into the batch instead: after padding to a multiple of `dilation` frames,
 * the reshape (dilation · M, N, in) -> (M, dilation · N, in) (free, row-major)
 * puts the frames of each residue class t mod dilation in a column of their
 * own, where the dilated taps are adjacent and a plain valid `temporalConv`
 * applies; the inverse reshape interleaves them back.
 */
export function causalConv(
  params: TemporalConvParams,
  x: tf.Tensor3D,
  dilation: number,
): tf.Tensor3D {
  const [frames, batch, inChannels] = x.shape;
  const [outChannels, , , kernelWidth] = params.weight.shape as [number, number, number, number];
  const history = (kernelWidth - 1) * dilation;
  // Frames after padding, rounded up to a multiple of the dilation.
  const paddedFrames = Math.ceil((history + frames) / dilation) * dilation;
  return tf.tidy(() => {
    const padded = tf.pad(x, [
      [history, paddedFrames - history - frames],
      [0, 0],
      [0, 0],
    ]);
    const columns = tf.reshape(padded, [paddedFrames / dilation, dilation * batch, inChannels, 1]);
    const convolved = temporalConv(params, columns); // (M - K + 1, dilation · N, out, 1)
    const interleaved = tf.reshape(convolved, [paddedFrames - history, batch, outChannels]);
    return tf.slice(interleaved, [0, 0, 0], [frames, batch, outChannels]) as tf.Tensor3D;
  });
}
