import * as tf from "@tensorflow/tfjs-core";
import { uniformVariable } from "../init.js";

/** PyTorch `nn.Linear` parameters. */
export type LinearParams = {
  /** (out, in) */
  weight: tf.Variable;
  /** (out) */
  bias: tf.Variable;
};

/** PyTorch-default init: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias. */
export function createLinear(
  inFeatures: number,
  outFeatures: number,
  nextSeed: () => number,
): LinearParams {
  const bound = 1 / Math.sqrt(inFeatures);
  return {
    weight: uniformVariable([outFeatures, inFeatures], bound, nextSeed()),
    bias: uniformVariable([outFeatures], bound, nextSeed()),
  };
}

/** (..., in) -> (..., out): x · weightᵀ + bias. */
export function linear(params: LinearParams, x: tf.Tensor): tf.Tensor {
  const [outFeatures, inFeatures] = params.weight.shape as [number, number];
  return tf.tidy(() => {
    const rows = tf.reshape(x, [-1, inFeatures]);
    const y = tf.add(tf.matMul(rows, params.weight, false, true), params.bias);
    return tf.reshape(y, [...x.shape.slice(0, -1), outFeatures]);
  });
}
