import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { seedSequence } from "../src/init.js";
import { createFrontEnd, type FrontEndConfig, frontEnd } from "../src/layers/front-end.js";
import { disposeTree, flatten } from "../src/params.js";
import {
  backends,
  expectGradientsMatchFiniteDifferences,
  maxAbsDiff,
  projection,
  useBackend,
} from "./layers-testing.js";

/** 2 bands of 4 electrodes with 3 frequency bins, so 12 features per band. */
const config: FrontEndConfig = { inFeatures: 12, mlpFeatures: [6, 5], electrodeChannels: 4 };
const inputShape = [7, 3, 2, 4, 3];

for (const backend of backends) {
  describe(`frontEnd on ${backend}`, () => {
    beforeAll(() => useBackend(backend));

    it("maps (T, N, 2, C, F) to (T, N, 2 · mlpFeatures.at(-1)), names like emg2qwerty's state_dict", () => {
      const { params, buffers } = createFrontEnd(config, seedSequence(0));
      expect(flatten(params).map(([name, v]) => `${name} ${v.shape}`)).toEqual([
        "0.batch_norm.weight 8",
        "0.batch_norm.bias 8",
        "1.mlps.0.mlp.0.weight 6,12",
        "1.mlps.0.mlp.0.bias 6",
        "1.mlps.0.mlp.2.weight 5,6",
        "1.mlps.0.mlp.2.bias 5",
        "1.mlps.1.mlp.0.weight 6,12",
        "1.mlps.1.mlp.0.bias 6",
        "1.mlps.1.mlp.2.weight 5,6",
        "1.mlps.1.mlp.2.bias 5",
      ]);
      expect(flatten(buffers).map(([name]) => name)).toEqual([
        "0.batch_norm.running_mean",
        "0.batch_norm.running_var",
        "0.batch_norm.num_batches_tracked",
      ]);
      const x = tf.randomNormal(inputShape, 0, 1, "float32", 1);
      const y = frontEnd(params, buffers, x, { training: false });
      expect(y.shape).toEqual([7, 3, 10]);
      tf.dispose([x, y]);
      disposeTree(params);
      disposeTree(buffers);
    });

    it("training normalises with batch statistics and moves the running ones (momentum 0.1, unbiased variance)", () => {
      const { params, buffers } = createFrontEnd(config, seedSequence(0));
      const norm = buffers["0"].batch_norm;
      const x = tf.randomNormal(inputShape, 3, 2, "float32", 2);
      const perChannel = tf.reshape(x, [7, 3, 8, 3]);
      const { mean, variance } = tf.moments(perChannel, [0, 1, 3]);
      const count = 7 * 3 * 3;
      const eval0 = frontEnd(params, buffers, x, { training: false });
      const train = frontEnd(params, buffers, x, { training: true });
      expect(maxAbsDiff(norm.running_mean.dataSync(), tf.mul(mean, 0.1).dataSync())).toBeLessThan(
        1e-5,
      );
      const expectedVar = tf.add(tf.mul(variance, (0.1 * count) / (count - 1)), 0.9);
      expect(maxAbsDiff(norm.running_var.dataSync(), expectedVar.dataSync())).toBeLessThan(1e-4);
      expect(norm.num_batches_tracked.dataSync()[0]).toBe(1);
      // Eval now uses the moved running stats: different from both earlier outputs.
      const eval1 = frontEnd(params, buffers, x, { training: false });
      expect(maxAbsDiff(eval0.dataSync(), eval1.dataSync())).toBeGreaterThan(1e-3);
      expect(maxAbsDiff(train.dataSync(), eval1.dataSync())).toBeGreaterThan(1e-3);
      tf.dispose([x, perChannel, mean, variance, expectedVar, eval0, train, eval1]);
      disposeTree(params);
      disposeTree(buffers);
    });

    it("has finite-difference gradients in training mode (input and MLP weight)", () => {
      const { params, buffers } = createFrontEnd({ ...config, pooling: "max" }, seedSequence(3));
      const x = tf.randomNormal(inputShape, 0, 1, "float32", 4);
      const r = projection([7, 3, 10]);
      const weight = params["1"].mlps["0"]?.mlp["0"]?.weight as tf.Variable;
      const loss = (xx: tf.Tensor, w: tf.Tensor) => {
        const swapped = {
          ...params,
          "1": {
            mlps: {
              ...params["1"].mlps,
              "0": {
                mlp: {
                  ...params["1"].mlps["0"]?.mlp,
                  "0": { weight: w, bias: params["1"].mlps["0"]?.mlp["0"]?.bias },
                },
              },
            },
          },
        };
        return tf.sum(
          tf.mul(frontEnd(swapped as never, buffers, xx, { training: true }), r),
        ) as tf.Scalar;
      };
      expectGradientsMatchFiniteDifferences(loss, [x, weight], 6);
      tf.dispose([x, r]);
      disposeTree(params);
      disposeTree(buffers);
    });

    it("keeps no tensors after a training forward and backward", () => {
      const { params, buffers } = createFrontEnd(config, seedSequence(0));
      const x = tf.randomNormal(inputShape);
      const step = () =>
        tf.tidy(() => {
          const { value } = tf.variableGrads(
            () => tf.sum(frontEnd(params, buffers, x, { training: true })) as tf.Scalar,
          );
          value.dataSync();
        });
      step();
      const before = tf.memory().numTensors;
      step();
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
      disposeTree(params);
      disposeTree(buffers);
    });
  });
}
