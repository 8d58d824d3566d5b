import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { seedSequence } from "../src/init.js";
import { createTemporalConv, temporalConv } from "../src/layers/temporal-conv.js";
import {
  backends,
  expectGradientsMatchFiniteDifferences,
  maxAbsDiff,
  projection,
  useBackend,
} from "./layers-testing.js";

/** Direct sum: out[t, n, o, w] = b[o] + Σ_{i,k} W[o, i, 0, k] x[t + k, n, i, w]. */
function referenceConv(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor): number[] {
  const [T, N, I, W] = x.shape as number[] as [number, number, number, number];
  const [O, , , K] = weight.shape as number[] as [number, number, number, number];
  const xs = x.dataSync();
  const ws = weight.dataSync();
  const bs = bias.dataSync();
  const out: number[] = [];
  for (let t = 0; t <= T - K; t++)
    for (let n = 0; n < N; n++)
      for (let o = 0; o < O; o++)
        for (let w = 0; w < W; w++) {
          let sum = bs[o] as number;
          for (let i = 0; i < I; i++)
            for (let k = 0; k < K; k++)
              sum +=
                (ws[(o * I + i) * K + k] as number) *
                (xs[(((t + k) * N + n) * I + i) * W + w] as number);
          out.push(sum);
        }
  return out;
}

for (const backend of backends) {
  describe(`temporalConv on ${backend}`, () => {
    beforeAll(() => useBackend(backend));

    it("equals the direct sum, (T, N, in, W) -> (T - K + 1, N, out, W)", () => {
      const params = createTemporalConv(3, 4, 5, seedSequence(1));
      const x = tf.randomNormal([9, 2, 3, 2], 0, 1, "float32", 3);
      const y = temporalConv(params, x);
      expect(y.shape).toEqual([5, 2, 4, 2]);
      const expected = referenceConv(x, params.weight, params.bias);
      const actual = y.dataSync();
      expect(maxAbsDiff(actual, expected)).toBeLessThan(1e-4);
      tf.dispose([x, y, params.weight, params.bias]);
    });

    it("has gradients equal to finite differences for input, weight and bias", () => {
      const x = tf.randomNormal([8, 2, 3, 2], 0, 1, "float32", 4);
      const weight = tf.randomNormal([4, 3, 1, 3], 0, 0.5, "float32", 5);
      const bias = tf.randomNormal([4], 0, 0.5, "float32", 6);
      const r = projection([6, 2, 4, 2]);
      const loss = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
        tf.sum(tf.mul(temporalConv({ weight: ww, bias: bb } as never, xx), r)) as tf.Scalar;
      expectGradientsMatchFiniteDifferences(loss, [x, weight, bias], 8);
      tf.dispose([x, weight, bias, r]);
    });

    it("keeps no tensors after forward and backward", () => {
      const params = createTemporalConv(3, 3, 4, seedSequence(2));
      const x = tf.randomNormal([10, 2, 3, 4]);
      const step = () =>
        tf.tidy(() => {
          const { grads, value } = tf.variableGrads(
            () => tf.sum(tf.square(temporalConv(params, x))) as tf.Scalar,
          );
          value.dataSync();
          return Object.keys(grads).length;
        });
      step();
      const before = tf.memory().numTensors;
      step();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, params.weight, params.bias]);
    });
  });
}

describe("wasm Conv2DBackpropFilter", () => {
  beforeAll(() => useBackend("wasm"));

  it("matches the cpu backend with strides and same padding", async () => {
    const x = tf.randomNormal([2, 7, 6, 3], 0, 1, "float32", 8);
    const dy = tf.randomNormal([2, 4, 3, 5], 0, 1, "float32", 9);
    const compute = () =>
      tf.grad((f: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 2, "same"), dy)),
      )(tf.ones([3, 2, 3, 5]));
    const { registerWasmConv2dBackpropFilter } = await import(
      "../src/gradients/wasm-conv2d-backprop-filter.js"
    );
    registerWasmConv2dBackpropFilter();
    const onWasm = compute().dataSync();
    const xs = x.dataSync();
    const dys = dy.dataSync();
    await useBackend("cpu");
    const onCpu = tf
      .grad((f: tf.Tensor) =>
        tf.sum(
          tf.mul(
            tf.conv2d(tf.tensor(xs, [2, 7, 6, 3]) as tf.Tensor4D, f as tf.Tensor4D, 2, "same"),
            tf.tensor(dys, [2, 4, 3, 5]),
          ),
        ),
      )(tf.ones([3, 2, 3, 5]))
      .dataSync();
    expect(maxAbsDiff(onWasm, onCpu)).toBeLessThan(1e-3);
    await useBackend("wasm");
  });
});
