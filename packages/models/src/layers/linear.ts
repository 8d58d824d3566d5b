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

/**
 * rows (M, in), weight (out, in), bias (out) -> (M, out), with a hand-written
 * gradient made of plain matMuls and explicit transposes: on the wasm backend
 * tfjs's transposed matMuls (which its own MatMul gradient uses) run 10-50x
 * slower than a transpose followed by a plain matMul.
 */
const affine = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [rows, weight, bias, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([rows, weight]);
  return {
    value: tf.add(tf.matMul(rows, tf.transpose(weight)), bias),
    // In a tidy: tfjs runs a customGrad's gradFunc outside any scope of its own, so its
    // temporaries would otherwise live until the whole backward pass ends.
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.tidy(() => {
        const [savedRows, savedWeight] = saved as [tf.Tensor, tf.Tensor];
        return [
          tf.matMul(dy, savedWeight), // (M, out) (out, in) -> (M, in)
          tf.matMul(tf.transpose(dy), savedRows), // (out, M) (M, in) -> (out, in)
          tf.sum(dy, 0),
        ];
      }),
  };
});

/** (..., in) -> (..., out): x · weightᵀ + bias, weight (out, in) and bias (out) trainable or not. */
export function linear(params: { weight: tf.Tensor; bias: tf.Tensor }, x: tf.Tensor): tf.Tensor {
  const [outFeatures, inFeatures] = params.weight.shape as [number, number];
  return tf.tidy(() => {
    const rows = tf.reshape(x, [-1, inFeatures]);
    const y = affine(rows, params.weight, params.bias) as tf.Tensor;
    return tf.reshape(y, [...x.shape.slice(0, -1), outFeatures]);
  });
}
