import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { seedSequence } from "../src/init.js";
import { createLayerNorm, layerNorm } from "../src/layers/layer-norm.js";
import { createLinear, linear } from "../src/layers/linear.js";
import { roll } from "../src/layers/rotation-invariant-mlp.js";
import { disposeTree } from "../src/params.js";
import {
  backends,
  expectGradientsMatchFiniteDifferences,
  maxAbsDiff,
  projection,
  useBackend,
} from "./layers-testing.js";

for (const backend of backends) {
  describe(`linear, layerNorm and roll on ${backend}`, () => {
    beforeAll(() => useBackend(backend));

    it("linear is x · Wᵀ + b on the last axis, PyTorch layout and init bounds", () => {
      const params = createLinear(4, 3, seedSequence(0));
      expect(params.weight.shape).toEqual([3, 4]);
      expect(params.bias.shape).toEqual([3]);
      const bound = 1 / Math.sqrt(4);
      for (const v of [...params.weight.dataSync(), ...params.bias.dataSync()]) {
        expect(Math.abs(v)).toBeLessThanOrEqual(bound);
      }
      const x = tf.randomNormal([2, 5, 4], 0, 1, "float32", 1);
      const y = linear(params, x);
      expect(y.shape).toEqual([2, 5, 3]);
      const w = params.weight.arraySync() as number[][];
      const b = params.bias.arraySync() as number[];
      const xs = x.arraySync() as number[][][];
      const expected = xs
        .flat()
        .flatMap((row) =>
          w.map((wRow, o) =>
            wRow.reduce((sum, wi, i) => sum + wi * (row[i] as number), b[o] as number),
          ),
        );
      expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(1e-5);
      tf.dispose([x, y]);
      disposeTree(params);
    });

    it("the same seed gives the same init, another seed another", () => {
      const a = createLinear(6, 2, seedSequence(5));
      const b = createLinear(6, 2, seedSequence(5));
      const c = createLinear(6, 2, seedSequence(6));
      expect(Array.from(a.weight.dataSync())).toEqual(Array.from(b.weight.dataSync()));
      expect(Array.from(a.weight.dataSync())).not.toEqual(Array.from(c.weight.dataSync()));
      for (const tree of [a, b, c]) disposeTree(tree);
    });

    it("layerNorm gives zero mean, unit (biased) variance rows at init", () => {
      const params = createLayerNorm(8);
      const x = tf.randomNormal([3, 2, 8], 2, 3, "float32", 2);
      const y = layerNorm(params, x);
      const { mean, variance } = tf.moments(y, -1);
      expect(maxAbsDiff(mean.dataSync(), new Float32Array(6))).toBeLessThan(1e-5);
      expect(maxAbsDiff(variance.dataSync(), new Float32Array(6).fill(1))).toBeLessThan(1e-3);
      tf.dispose([x, y, mean, variance]);
      disposeTree(params);
    });

    it("linear and layerNorm have finite-difference gradients", () => {
      const x = tf.randomNormal([3, 4], 0, 1, "float32", 3);
      const weight = tf.randomNormal([5, 4], 0, 0.5, "float32", 4);
      const bias = tf.randomNormal([5], 0, 0.5, "float32", 5);
      const lnWeight = tf.randomNormal([5], 1, 0.2, "float32", 6);
      const lnBias = tf.randomNormal([5], 0, 0.2, "float32", 7);
      const r = projection([3, 5]);
      const loss = (xx: tf.Tensor, w: tf.Tensor, b: tf.Tensor, g: tf.Tensor, h: tf.Tensor) =>
        tf.sum(
          tf.mul(
            layerNorm({ weight: g, bias: h } as never, linear({ weight: w, bias: b } as never, xx)),
            r,
          ),
        ) as tf.Scalar;
      expectGradientsMatchFiniteDifferences(loss, [x, weight, bias, lnWeight, lnBias], 4);
      tf.dispose([x, weight, bias, lnWeight, lnBias, r]);
    });

    it("roll moves element i to (i + shift) mod size, like torch.roll", () => {
      const x = tf.tensor2d([0, 1, 2, 3, 10, 11, 12, 13], [2, 4]);
      expect(roll(x, 1, 1).arraySync()).toEqual([
        [3, 0, 1, 2],
        [13, 10, 11, 12],
      ]);
      expect(roll(x, -1, 1).arraySync()).toEqual([
        [1, 2, 3, 0],
        [11, 12, 13, 10],
      ]);
      expect(roll(x, 5, 1).arraySync()).toEqual(roll(x, 1, 1).arraySync());
      x.dispose();
    });
  });
}
