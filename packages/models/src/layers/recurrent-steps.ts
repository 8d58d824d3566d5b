import * as tf from "@tensorflow/tfjs-core";

/**
 * (T, ...rest) -> T tensors of shape (...rest), in time order.
 *
 * The wasm backend's Slice (behind tf.unstack/split/slice) copies the whole
 * source out of the wasm heap on every call, so taking T steps one by one
 * costs T whole copies: O(T²), seconds for a training window. There one read
 * and T small writes do the same in O(T). Not differentiable: the recurrences
 * that call it supply their own gradients.
 */
export function splitSteps(x: tf.Tensor): tf.Tensor[] {
  if (tf.getBackend() !== "wasm") return tf.unstack(x);
  const [steps, ...stepShape] = x.shape as [number, ...number[]];
  const values = x.dataSync() as Float32Array;
  const stepSize = values.length / steps;
  return Array.from({ length: steps }, (_, t) =>
    tf.tensor(values.subarray(t * stepSize, (t + 1) * stepSize), stepShape, "float32"),
  );
}

/** Visiting order of a direction: 0..T-1 forward, T-1..0 backward in time. */
export function timeOrder(steps: number, reverse: boolean): number[] {
  return Array.from({ length: steps }, (_, i) => (reverse ? steps - 1 - i : i));
}
