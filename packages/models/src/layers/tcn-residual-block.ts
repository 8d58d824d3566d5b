import * as tf from "@tensorflow/tfjs-core";
import { createLayerNorm, type LayerNormParams, layerNorm } from "./layer-norm.js";
import { linear } from "./linear.js";
import { causalConv } from "./tcn-causal-conv.js";
import { createTemporalConv, type TemporalConvParams } from "./temporal-conv.js";

/**
 * Parameters of one TCN residual block, named as its PyTorch module's
 * state_dict: `conv1`, `norm1`, `conv2`, `norm2`, and `downsample` (a 1x1
 * convolution) only when the channel count changes.
 */
export type TcnBlockParams = {
  conv1: TemporalConvParams;
  norm1: LayerNormParams;
  conv2: TemporalConvParams;
  norm2: LayerNormParams;
  downsample?: TemporalConvParams;
};

export function createTcnBlock(
  inChannels: number,
  outChannels: number,
  kernelSize: number,
  nextSeed: () => number,
): TcnBlockParams {
  const block: TcnBlockParams = {
    conv1: createTemporalConv(inChannels, outChannels, kernelSize, nextSeed),
    norm1: createLayerNorm(outChannels),
    conv2: createTemporalConv(outChannels, outChannels, kernelSize, nextSeed),
    norm2: createLayerNorm(outChannels),
  };
  if (inChannels !== outChannels) {
    block.downsample = createTemporalConv(inChannels, outChannels, 1, nextSeed);
  }
  return block;
}

/**
 * The residual block of Bai et al.'s TCN (arXiv 1803.01271) with LayerNorm
 * over channels in place of weight normalization, (T, N, in) -> (T, N, out):
 * h = dropout(relu(norm1(conv1(x)))); h = dropout(relu(norm2(conv2(h))));
 * y = relu(h + residual(x)), both convolutions causal with `dilation`, so the
 * block sees 2 · (K - 1) · dilation past frames.
 */
export function tcnBlock(
  params: TcnBlockParams,
  x: tf.Tensor3D,
  { dilation, dropout, training }: { dilation: number; dropout: number; training: boolean },
): tf.Tensor3D {
  const regularize = (h: tf.Tensor) => (training && dropout > 0 ? tf.dropout(h, dropout) : h);
  return tf.tidy(() => {
    let h = causalConv(params.conv1, x, dilation);
    h = regularize(tf.relu(layerNorm(params.norm1, h))) as tf.Tensor3D;
    h = causalConv(params.conv2, h, dilation);
    h = regularize(tf.relu(layerNorm(params.norm2, h))) as tf.Tensor3D;
    const residual = params.downsample === undefined ? x : pointwise(params.downsample, x);
    return tf.relu(tf.add(h, residual)) as tf.Tensor3D;
  });
}

/** A 1x1 convolution (out, in, 1, 1) as the linear map it is: (T, N, in) -> (T, N, out). */
function pointwise(params: TemporalConvParams, x: tf.Tensor3D): tf.Tensor {
  const [outChannels, inChannels] = params.weight.shape as [number, number];
  return linear(
    { weight: tf.reshape(params.weight, [outChannels, inChannels]), bias: params.bias },
    x,
  );
}
