import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import { expect } from "vitest";
import type { EmgModel } from "../src/model.js";
import { flatten } from "../src/params.js";

export const backends = ["cpu", "wasm"] as const;

export async function useBackend(name: (typeof backends)[number]): Promise<void> {
  await tf.setBackend(name);
  await tf.ready();
}

/**
 * Compares tf.grads of `loss` at `inputs` with central finite differences on
 * `samples` coordinates of each input (float32: step 1e-2, relative tolerance 2e-2).
 */
export function expectGradientsMatchFiniteDifferences(
  loss: (...inputs: tf.Tensor[]) => tf.Scalar,
  inputs: tf.Tensor[],
  samples = 6,
  step = 1e-2,
): void {
  const analytic = tf.grads(loss)(inputs);
  inputs.forEach((input, which) => {
    const grad = analytic[which]?.dataSync() as Float32Array;
    const values = input.dataSync().slice();
    for (let s = 0; s < samples; s++) {
      const i = Math.floor(((s + 0.5) / samples) * values.length);
      const at = (delta: number): number =>
        tf.tidy(() => {
          const shifted = values.slice();
          shifted[i] = (shifted[i] as number) + delta;
          const args = inputs.map((x, j) => (j === which ? tf.tensor(shifted, x.shape) : x));
          return loss(...args).dataSync()[0] as number;
        });
      const numeric = (at(step) - at(-step)) / (2 * step);
      const exact = grad[i] as number;
      expect(
        Math.abs(numeric - exact),
        `input ${which} index ${i}: ${numeric} vs ${exact}`,
      ).toBeLessThan(2e-2 * Math.max(1, Math.abs(exact)));
    }
  });
  tf.dispose(analytic);
}

/** A fixed random projection to make a scalar loss from an output of `shape`. */
export function projection(shape: number[], seed = 7): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, "float32", seed);
}

/** Largest absolute elementwise difference. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

/**
 * Compares tf.variableGrads of `loss` with central finite differences on
 * `samples` coordinates of each variable (perturbed by assign, then restored).
 */
export function expectVariableGradientsMatchFiniteDifferences(
  loss: () => tf.Scalar,
  variables: tf.Variable[],
  samples = 4,
  step = 1e-2,
): void {
  const { grads, value } = tf.variableGrads(loss, variables);
  value.dispose();
  for (const variable of variables) {
    const grad = grads[variable.name]?.dataSync() as Float32Array;
    const values = variable.dataSync().slice();
    const at = (i: number, delta: number): number => {
      const shifted = values.slice();
      shifted[i] = (shifted[i] as number) + delta;
      tf.tidy(() => variable.assign(tf.tensor(shifted, variable.shape)));
      return tf.tidy(() => loss().dataSync()[0] as number);
    };
    for (let s = 0; s < samples; s++) {
      const i = Math.floor(((s + 0.5) / samples) * values.length);
      const numeric = (at(i, step) - at(i, -step)) / (2 * step);
      const exact = grad[i] as number;
      expect(
        Math.abs(numeric - exact),
        `${variable.name}[${i}]: ${numeric} vs ${exact}`,
      ).toBeLessThan(2e-2 * Math.max(1, Math.abs(exact)));
    }
    tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)));
  }
  tf.dispose(grads);
}

/**
 * A training step's gradients reach every parameter without leaking tensors,
 * and two training forwards differ (dropout is active). Disposes `x` and the model.
 */
export function expectTrainsWithoutLeaks(model: EmgModel, x: tf.Tensor): void {
  const before = tf.memory().numTensors;
  const variables = flatten<tf.Variable>(model.params).map(([, v]) => v);
  const { value, grads } = tf.variableGrads(
    () => tf.neg(tf.mean(model.forward(x, { training: true }))) as tf.Scalar,
    variables,
  );
  expect(Object.keys(grads)).toHaveLength(variables.length);
  tf.dispose([value, ...Object.values(grads)]);
  expect(tf.memory().numTensors).toBe(before);
  const a = model.forward(x, { training: true });
  const b = model.forward(x, { training: true });
  expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBeGreaterThan(1e-4);
  tf.dispose([x, a, b]);
  model.dispose();
}
