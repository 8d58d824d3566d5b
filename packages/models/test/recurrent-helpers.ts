import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import { expect } from "vitest";
import { flatten, type ParamTree } from "../src/params.js";

export const backends = ["cpu", "wasm"] as const;

export interface GoldenTensor {
  shape: number[];
  values: number[];
}

/** Reads a JSON file written by scripts/make_recurrent_golden.py. */
export function readGolden<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./golden/${name}`, import.meta.url), "utf8")) as T;
}

export const toTensor = (golden: GoldenTensor) => tf.tensor(golden.values, golden.shape, "float32");

/** Overwrites every parameter of `params` with the state_dict entry of the same dotted name. */
export function loadStateDict(params: ParamTree, stateDict: Record<string, GoldenTensor>): void {
  const names = flatten(params).map(([name]) => name);
  expect(names.sort()).toEqual(Object.keys(stateDict).sort());
  for (const [name, variable] of flatten<tf.Variable>(params)) {
    const golden = stateDict[name] as GoldenTensor;
    expect(variable.shape, name).toEqual(golden.shape);
    tf.tidy(() => variable.assign(toTensor(golden)));
  }
}

export function maxAbsDiff(actual: tf.Tensor, expected: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0] as number);
}
