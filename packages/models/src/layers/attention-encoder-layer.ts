import * as tf from "@tensorflow/tfjs-core";
import {
  createSelfAttention,
  type SelfAttentionConfig,
  type SelfAttentionParams,
  selfAttention,
} from "./attention-self.js";
import { createLayerNorm, type LayerNormParams, layerNorm } from "./layer-norm.js";
import { createLinear, type LinearParams, linear } from "./linear.js";

export interface EncoderLayerConfig extends SelfAttentionConfig {
  /** Hidden width of the feed-forward block. */
  feedForward: number;
}

/** Named as `nn.TransformerEncoderLayer`'s state_dict: self_attn, linear1, linear2, norm1, norm2. */
export type EncoderLayerParams = {
  self_attn: SelfAttentionParams;
  linear1: LinearParams;
  linear2: LinearParams;
  norm1: LayerNormParams;
  norm2: LayerNormParams;
};

export function createEncoderLayer(
  config: EncoderLayerConfig,
  nextSeed: () => number,
): EncoderLayerParams {
  return {
    self_attn: createSelfAttention(config.dModel, nextSeed),
    linear1: createLinear(config.dModel, config.feedForward, nextSeed),
    linear2: createLinear(config.feedForward, config.dModel, nextSeed),
    norm1: createLayerNorm(config.dModel),
    norm2: createLayerNorm(config.dModel),
  };
}

/**
 * A pre-norm transformer encoder layer, as PyTorch's
 * `nn.TransformerEncoderLayer(d, heads, feedForward, dropout, norm_first=True)`,
 * (T, N, d) -> (T, N, d):
 * x += dropout(selfAttention(norm1(x))); x += dropout(linear2(dropout(relu(linear1(norm2(x)))))).
 * Normalizing before each block keeps the residual path an identity, which
 * trains deep stacks without learning-rate warm-up tricks.
 */
export function encoderLayer(
  params: EncoderLayerParams,
  config: EncoderLayerConfig,
  x: tf.Tensor3D,
  mask: tf.Tensor2D | null,
  training: boolean,
): tf.Tensor3D {
  const regularize = (h: tf.Tensor) =>
    training && config.dropout > 0 ? tf.dropout(h, config.dropout) : h;
  return tf.tidy(() => {
    const normalized = layerNorm(params.norm1, x) as tf.Tensor3D;
    const attended = tf.add(
      x,
      regularize(selfAttention(params.self_attn, config, normalized, mask, training)),
    );
    const hidden = regularize(tf.relu(linear(params.linear1, layerNorm(params.norm2, attended))));
    return tf.add(attended, regularize(linear(params.linear2, hidden))) as tf.Tensor3D;
  });
}
