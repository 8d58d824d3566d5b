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

/**
 * (..., features) -> (..., features), normalised over the last axis (biased variance, eps 1e-5).
 *
 * One tape entry with a written-out gradient: it keeps the normalised input
 * and the inverse deviations only, where tfjs' taped moments, sub, mul and
 * add keep about ten input-sized tensors (and as many gradients) per call.
 * With x̂ = (x - mean) · rstd and g = dy · weight:
 * dx = rstd · (g - mean(g) - x̂ · mean(g · x̂)), dweight = Σ dy · x̂, dbias = Σ dy.
 */
export function layerNorm(params: LayerNormParams, x: tf.Tensor, eps = 1e-5): tf.Tensor {
  return tf.tidy(() => normalise(x, params.weight, params.bias, tf.scalar(eps)));
}

const normalise = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, weight, bias, eps, save] = args as [
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
    tf.Scalar,
    tf.GradSaveFunc,
  ];
  const { mean, variance } = tf.moments(x, -1, true);
  const inverseDeviation = tf.rsqrt(tf.add(variance, eps));
  const normalised = tf.mul(tf.sub(x, mean), inverseDeviation);
  save([normalised, inverseDeviation, weight]);
  return {
    value: tf.add(tf.mul(normalised, weight), bias),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.tidy(() => {
        const [xHat, rstd, w] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const g = tf.mul(dy, w);
        const centred = tf.sub(g, tf.mean(g, -1, true));
        const dx = tf.mul(tf.sub(centred, tf.mul(xHat, tf.mean(tf.mul(g, xHat), -1, true))), rstd);
        const features = w.shape[0] as number;
        const rows = (t: tf.Tensor) => tf.reshape(t, [-1, features]);
        return [dx, tf.sum(rows(tf.mul(dy, xHat)), 0), tf.sum(rows(dy), 0), tf.zerosLike(eps)];
      }),
  };
});
