import * as tf from "@tensorflow/tfjs-core";
import { constantVariable, uniformVariable } from "../init.js";
import { type LinearParams, linear } from "./linear.js";

/** Shape of a PyTorch `nn.MultiheadAttention(dModel, heads, dropout)` used for self-attention. */
export interface SelfAttentionConfig {
  dModel: number;
  /** dModel must be a multiple of heads; each head sees dModel / heads features. */
  heads: number;
  /** Dropout on the attention weights, in training only. */
  dropout: number;
}

/** `nn.MultiheadAttention` parameters, named as its state_dict. */
export type SelfAttentionParams = {
  /** (3d, d): query, key and value projections stacked by rows */
  in_proj_weight: tf.Variable;
  /** (3d) */
  in_proj_bias: tf.Variable;
  out_proj: LinearParams;
};

/**
 * `nn.MultiheadAttention` initialization: `in_proj_weight`
 * (3d, d) xavier-uniform with rows query, key, value; `in_proj_bias` (3d) 0;
 * `out_proj.weight` (d, d) U(±1/sqrt(d)); `out_proj.bias` (d) 0.
 */
export function createSelfAttention(dModel: number, nextSeed: () => number): SelfAttentionParams {
  return {
    in_proj_weight: uniformVariable([3 * dModel, dModel], Math.sqrt(6 / (4 * dModel)), nextSeed()),
    in_proj_bias: constantVariable([3 * dModel], 0),
    out_proj: {
      weight: uniformVariable([dModel, dModel], 1 / Math.sqrt(dModel), nextSeed()),
      bias: constantVariable([dModel], 0),
    },
  };
}

/**
 * Multi-head self-attention (T, N, d) -> (T, N, d) with matMul and softmax
 * only (trainable on wasm), as `nn.MultiheadAttention(x, x, x)`: heads are
 * contiguous blocks of d / heads features. `mask` (T, T) is added to the
 * scores (see `causalAttentionMask`).
 */
export function selfAttention(
  params: SelfAttentionParams,
  config: SelfAttentionConfig,
  inputs: tf.Tensor3D,
  mask: tf.Tensor2D | null,
  training: boolean,
): tf.Tensor3D {
  const [frames, batch, dModel] = inputs.shape;
  const { heads } = config;
  const headSize = dModel / heads;
  return tf.tidy(() => {
    const projected = tf.add(
      tf.matMul(tf.reshape(inputs, [frames * batch, dModel]), params.in_proj_weight, false, true),
      params.in_proj_bias,
    );
    // (T*N, d) -> (N*heads, T, headSize): one batched matMul covers every sequence and head.
    const toHeads = (part: tf.Tensor) =>
      tf.reshape(tf.transpose(tf.reshape(part, [frames, batch, heads, headSize]), [1, 2, 0, 3]), [
        batch * heads,
        frames,
        headSize,
      ]) as tf.Tensor3D;
    const [query, key, value] = tf.split(projected, 3, 1).map(toHeads) as [
      tf.Tensor3D,
      tf.Tensor3D,
      tf.Tensor3D,
    ];
    // Scaling the query (T x headSize) is cheaper than scaling the scores (T x T).
    const scaledQuery = tf.mul(query, 1 / Math.sqrt(headSize));
    const scores = tf.matMul(scaledQuery, key, false, true); // (N*heads, T, T)
    let weights = tf.softmax(mask === null ? scores : tf.add(scores, mask));
    if (training && config.dropout > 0) weights = tf.dropout(weights, config.dropout);
    const context = tf.matMul(weights, value); // (N*heads, T, headSize)
    const merged = tf.reshape(
      tf.transpose(tf.reshape(context, [batch, heads, frames, headSize]), [2, 0, 1, 3]),
      [frames * batch, dModel],
    );
    return tf.reshape(linear(params.out_proj, merged), [frames, batch, dModel]);
  });
}
