import * as tf from "@tensorflow/tfjs-core";
import { constantVariable } from "../init.js";

/** PyTorch `nn.LayerNorm(features)` parameters. */
export type LayerNormParams = {
  /** (features), initialised to 1 */
  weight: tf.Variable;
  /** (features), initialised to 0 */
  bias: tf.Variable;
};

export function createLayerNorm(features: number): LayerNormParams {
  return { weight: constantVariable([features], 1), bias: constantVariable([features], 0) };
}

/** (..., features) -> (..., features), normalised over the last axis (biased variance, eps 1e-5). */
export function layerNorm(params: LayerNormParams, x: tf.Tensor, eps = 1e-5): tf.Tensor {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true);
    const normalised = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
    return tf.add(tf.mul(normalised, params.weight), params.bias);
  });
}
