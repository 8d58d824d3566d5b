import type * as tf from "@tensorflow/tfjs-core";

/**
 * Tensors by name, as a plain record (what `tf.variableGrads` returns) or a Map.
 * Gradients are passed around in this form: each one has its parameter's shape.
 */
export type NamedTensors = Record<string, tf.Tensor> | Map<string, tf.Tensor>;

/** The entries of `tensors` in insertion order. */
export function namedEntries(tensors: NamedTensors): Array<[string, tf.Tensor]> {
  return tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
}

/** A container of the same kind as `like` (Map or record) holding `entries`. */
export function sameKind<T extends NamedTensors>(like: T, entries: Array<[string, tf.Tensor]>): T {
  return (like instanceof Map ? new Map(entries) : Object.fromEntries(entries)) as T;
}

/** `[2,3]`-style shape text for one-line error messages. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}
