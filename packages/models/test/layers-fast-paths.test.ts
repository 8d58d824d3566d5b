/**
 * The memory- and speed-minded formulations (checkpointed blocks, the written-out
 * temporal conv, layer norm and batched rotation-invariant MLP gradients, wasm's
 * sharing clone) against the plain tfjs formulations they replace.
 */
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { registerWasmConv2dBackpropFilter } from "../src/gradients/wasm-conv2d-backprop-filter.js";
import { registerWasmSharedIdentity } from "../src/gradients/wasm-shared-identity.js";
import { seedSequence } from "../src/init.js";
import { checkpoint } from "../src/layers/checkpoint.js";
import { layerNorm } from "../src/layers/layer-norm.js";
import { createLinear, type LinearParams, linear } from "../src/layers/linear.js";
import {
  bandsRotationInvariantMLP,
  createRotationInvariantMLP,
  type RotationInvariantMLPParams,
  roll,
} from "../src/layers/rotation-invariant-mlp.js";
import { createBatchNorm, spectrogramNorm } from "../src/layers/spectrogram-norm.js";
import { temporalConv } from "../src/layers/temporal-conv.js";
import { disposeTree } from "../src/params.js";
import {
  backends,
  expectGradientsMatchFiniteDifferences,
  maxAbsDiff,
  projection,
  useBackend,
} from "./layers-testing.js";

/** Values and gradients of two formulations of `loss(...inputs)`, at most `tolerance` apart. */
function expectSameValuesAndGradients(
  fast: (...inputs: tf.Tensor[]) => tf.Scalar,
  plain: (...inputs: tf.Tensor[]) => tf.Scalar,
  inputs: tf.Tensor[],
  tolerance = 1e-4,
): void {
  const a = tf.valueAndGrads(fast)(inputs);
  const b = tf.valueAndGrads(plain)(inputs);
  expect(
    Math.abs((a.value.dataSync()[0] as number) - (b.value.dataSync()[0] as number)),
  ).toBeLessThan(tolerance);
  a.grads.forEach((grad, i) => {
    expect(
      maxAbsDiff(grad.dataSync(), (b.grads[i] as tf.Tensor).dataSync()),
      `input ${i}`,
    ).toBeLessThan(tolerance);
  });
  tf.dispose([a.value, b.value, ...a.grads, ...b.grads]);
}

/** The old temporal conv: tf.conv2d on the NHWC view, tfjs' own gradients. */
function plainTemporalConv(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const [frames, batch, channels, width] = x.shape as [number, number, number, number];
  const columns = tf.reshape(tf.transpose(x, [0, 1, 3, 2]), [1, frames, batch * width, channels]);
  const filter = tf.transpose(weight, [3, 2, 1, 0]) as tf.Tensor4D;
  const y = tf.add(tf.conv2d(columns as tf.Tensor4D, filter, 1, "valid"), bias);
  const outFrames = y.shape[1] as number;
  return tf.transpose(tf.reshape(y, [outFrames, batch, width, -1]), [0, 1, 3, 2]);
}

/** The old rotation-invariant MLP: rolled copies of the input, per band. */
function plainBandMLP(
  params: RotationInvariantMLPParams,
  x: tf.Tensor,
  pooling: "mean" | "max",
): tf.Tensor {
  const [frames, batch] = x.shape as [number, number];
  const shifts = [-1, 0, 1];
  let h = tf.reshape(
    tf.stack(
      shifts.map((s) => roll(x, s, 2)),
      2,
    ),
    [frames, batch, shifts.length, -1],
  );
  for (const layer of Object.values(params.mlp)) h = tf.relu(linear(layer, h));
  return pooling === "max" ? tf.max(h, 2) : tf.mean(h, 2);
}

for (const backend of backends) {
  describe(`fast formulations on ${backend}`, () => {
    beforeAll(async () => {
      await useBackend(backend);
      registerWasmSharedIdentity();
      registerWasmConv2dBackpropFilter(); // for the plain tf.conv2d reference
    });

    it("temporalConv's written-out gradient equals tf.conv2d's, with and without a width axis", () => {
      for (const [width, inChannels, outChannels] of [
        [3, 4, 4],
        [1, 5, 3],
      ] as const) {
        const x = tf.randomNormal([11, 2, inChannels, width], 0, 1, "float32", 1);
        const weight = tf.randomNormal([outChannels, inChannels, 1, 4], 0, 0.5, "float32", 2);
        const bias = tf.randomNormal([outChannels], 0, 0.5, "float32", 3);
        const r = projection([8, 2, outChannels, width]);
        expectSameValuesAndGradients(
          (xx, ww, bb) =>
            tf.sum(tf.mul(temporalConv({ weight: ww, bias: bb } as never, xx), r)) as tf.Scalar,
          (xx, ww, bb) =>
            tf.sum(
              tf.mul(plainTemporalConv(xx as tf.Tensor, ww as tf.Tensor, bb as tf.Tensor), r),
            ) as tf.Scalar,
          [x, weight, bias],
        );
        tf.dispose([x, weight, bias, r]);
      }
    });

    it("temporalConv with dilation equals a sum over shifted taps, values and gradients", () => {
      const [dilation, taps] = [3, 3];
      const x = tf.randomNormal([14, 2, 4, 2], 0, 1, "float32", 11);
      const weight = tf.randomNormal([5, 4, 1, taps], 0, 0.5, "float32", 12);
      const bias = tf.randomNormal([5], 0, 0.5, "float32", 13);
      const outFrames = 14 - (taps - 1) * dilation;
      const r = projection([outFrames, 2, 5, 2]);
      const shiftedTaps = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => {
        let sum: tf.Tensor = tf.reshape(bb, [1, 1, 1, -1]);
        for (let k = 0; k < taps; k++) {
          const frames = tf.transpose(
            tf.slice(xx, [k * dilation, 0, 0, 0], [outFrames, 2, 4, 2]),
            [0, 1, 3, 2],
          );
          const tap = tf.reshape(tf.slice(ww, [0, 0, 0, k], [5, 4, 1, 1]), [5, 4]);
          const product = tf.matMul(tf.reshape(frames, [-1, 4]), tf.transpose(tap));
          sum = tf.add(sum, tf.reshape(product, [outFrames, 2, 2, 5]));
        }
        return tf.sum(tf.mul(tf.transpose(sum, [0, 1, 3, 2]), r)) as tf.Scalar;
      };
      expectSameValuesAndGradients(
        (xx, ww, bb) =>
          tf.sum(
            tf.mul(temporalConv({ weight: ww, bias: bb } as never, xx as tf.Tensor, dilation), r),
          ) as tf.Scalar,
        shiftedTaps as never,
        [x, weight, bias],
      );
      tf.dispose([x, weight, bias, r]);
    });

    it("spectrogramNorm's training gradient equals tfjs' gradient of the plain batch norm", () => {
      const { params, buffers } = createBatchNorm(4);
      const x = tf.randomNormal([5, 3, 2, 2, 6], 1, 2, "float32", 14);
      const weight = tf.randomNormal([4], 1, 0.3, "float32", 15);
      const bias = tf.randomNormal([4], 0, 0.3, "float32", 16);
      const r = projection([5, 3, 2, 2, 6]);
      const plain = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => {
        const perChannel = tf.reshape(xx, [5, 3, 4, 6]);
        const { mean, variance } = tf.moments(perChannel, [0, 1, 3], true);
        const xHat = tf.mul(tf.sub(perChannel, mean), tf.rsqrt(tf.add(variance, 1e-5)));
        const y = tf.add(tf.mul(xHat, tf.reshape(ww, [-1, 1])), tf.reshape(bb, [-1, 1]));
        return tf.sum(tf.mul(tf.reshape(y, xx.shape), r)) as tf.Scalar;
      };
      expectSameValuesAndGradients(
        (xx, ww, bb) =>
          tf.sum(
            tf.mul(
              spectrogramNorm({ weight: ww, bias: bb } as never, buffers, xx as tf.Tensor, {
                training: true,
              }),
              r,
            ),
          ) as tf.Scalar,
        plain as never,
        [x, weight, bias],
      );
      tf.dispose([x, weight, bias, r]);
      disposeTree(params);
      disposeTree(buffers);
    });

    it("layerNorm's written-out gradient equals tfjs' gradient of the plain formula", () => {
      const x = tf.randomNormal([4, 3, 6], 1, 2, "float32", 4);
      const weight = tf.randomNormal([6], 1, 0.3, "float32", 5);
      const bias = tf.randomNormal([6], 0, 0.3, "float32", 6);
      const r = projection([4, 3, 6]);
      const plain = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => {
        const { mean, variance } = tf.moments(xx, -1, true);
        const normalised = tf.mul(tf.sub(xx, mean), tf.rsqrt(tf.add(variance, 1e-5)));
        return tf.sum(tf.mul(tf.add(tf.mul(normalised, ww), bb), r)) as tf.Scalar;
      };
      expectSameValuesAndGradients(
        (xx, ww, bb) =>
          tf.sum(
            tf.mul(layerNorm({ weight: ww, bias: bb } as never, xx as tf.Tensor), r),
          ) as tf.Scalar,
        plain as never,
        [x, weight, bias],
      );
      expectGradientsMatchFiniteDifferences(
        (xx, ww, bb) =>
          tf.sum(
            tf.mul(layerNorm({ weight: ww, bias: bb } as never, xx as tf.Tensor), r),
          ) as tf.Scalar,
        [x, weight, bias],
        6,
      );
      tf.dispose([x, weight, bias, r]);
    });

    for (const pooling of ["mean", "max"] as const) {
      it(`bandsRotationInvariantMLP (${pooling}) equals the rolled-input MLP per band, values and gradients`, () => {
        const next = seedSequence(3);
        const bands = [0, 1].map(() => createRotationInvariantMLP(12, [6, 5], next));
        const x = tf.randomNormal([5, 3, 2, 4, 3], 0, 1, "float32", 7);
        const r = projection([5, 3, 2, 5]);
        const [first, second] = bands as [RotationInvariantMLPParams, RotationInvariantMLPParams];
        const layer = (band: RotationInvariantMLPParams, index: string) =>
          band.mlp[index] as LinearParams;
        const [w0, w1] = [layer(first, "0").weight, layer(second, "2").weight];
        const withWeights = (a: tf.Tensor, b: tf.Tensor) =>
          [
            { mlp: { ...first.mlp, "0": { weight: a, bias: layer(first, "0").bias } } },
            { mlp: { ...second.mlp, "2": { weight: b, bias: layer(second, "2").bias } } },
          ] as never as RotationInvariantMLPParams[];
        expectSameValuesAndGradients(
          (xx, a, b) =>
            tf.sum(
              tf.mul(
                bandsRotationInvariantMLP(
                  withWeights(a as tf.Tensor, b as tf.Tensor),
                  xx as tf.Tensor,
                  { pooling },
                ),
                r,
              ),
            ) as tf.Scalar,
          (xx, a, b) => {
            const perBand = withWeights(a as tf.Tensor, b as tf.Tensor).map((band, i) =>
              plainBandMLP(
                band,
                tf.squeeze(tf.slice(xx as tf.Tensor, [0, 0, i], [-1, -1, 1]), [2]),
                pooling,
              ),
            );
            return tf.sum(tf.mul(tf.stack(perBand, 2), r)) as tf.Scalar;
          },
          [x, w0, w1],
        );
        tf.dispose([x, r]);
        for (const band of bands) disposeTree(band as never);
      });
    }

    it("checkpoint gives the plain function's values and gradients and keeps no tensors", () => {
      const params = createLinear(6, 6, seedSequence(4));
      const norm = {
        weight: tf.variable(tf.randomNormal([6], 1, 0.2, "float32", 8)),
        bias: tf.variable(tf.zeros([6])),
      };
      const block = (x: tf.Tensor) => layerNorm(norm, tf.add(tf.relu(linear(params, x)), x));
      const variables = [params.weight, params.bias, norm.weight, norm.bias];
      const x = tf.randomNormal([5, 2, 6], 0, 1, "float32", 9);
      const r = projection([5, 2, 6]);
      // Two blocks in a row, the second checkpointed twice over, inside an outer tape.
      const loss = (fast: boolean) => () => {
        const run = (input: tf.Tensor) =>
          fast ? checkpoint(block, [input], variables) : block(input);
        return tf.sum(tf.mul(run(tf.tanh(run(x))), r)) as tf.Scalar;
      };
      const step = (fast: boolean) => tf.variableGrads(loss(fast), variables);
      const a = step(true);
      const b = step(false);
      expect(
        Math.abs((a.value.dataSync()[0] as number) - (b.value.dataSync()[0] as number)),
      ).toBeLessThan(1e-5);
      for (const v of variables) {
        expect(
          maxAbsDiff(
            (a.grads[v.name] as tf.Tensor).dataSync(),
            (b.grads[v.name] as tf.Tensor).dataSync(),
          ),
        ).toBeLessThan(1e-5);
      }
      tf.dispose([a.value, b.value, ...Object.values(a.grads), ...Object.values(b.grads)]);
      // Gradients of the input too, and no tensors left after a forward and backward.
      const xGrad = (fast: boolean) =>
        tf.grad((xx: tf.Tensor) =>
          tf.sum(tf.mul(fast ? checkpoint(block, [xx], variables) : block(xx), r)),
        )(x);
      const [gFast, gPlain] = [xGrad(true), xGrad(false)];
      expect(maxAbsDiff(gFast.dataSync(), gPlain.dataSync())).toBeLessThan(1e-5);
      tf.dispose([gFast, gPlain]);
      const before = tf.memory().numTensors;
      const again = step(true);
      tf.dispose([again.value, ...Object.values(again.grads)]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, r, ...variables]);
    });
  });
}

describe("checkpoint with dropout", () => {
  beforeAll(() => useBackend("cpu"));

  it("replays the forward's dropout mask when it recomputes, and draws a new one per call", () => {
    // loss = Σ dropout(x · w) = w · Σ mask · x / keep, so dloss/dw = loss / w exactly when the masks agree.
    const x = tf.randomNormal([50, 8], 1, 0.1, "float32", 10);
    const w = tf.scalar(1.5);
    const loss = (ww: tf.Tensor) =>
      tf.sum(checkpoint((input) => tf.dropout(tf.mul(input, ww), 0.5), [x], [ww])) as tf.Scalar;
    const values: number[] = [];
    for (let call = 0; call < 2; call++) {
      const { value, grad } = tf.valueAndGrad(loss)(w);
      values.push(value.dataSync()[0] as number);
      expect(
        Math.abs((grad.dataSync()[0] as number) - (values[call] as number) / 1.5),
      ).toBeLessThan(1e-3);
      tf.dispose([value, grad]);
    }
    expect(values[0]).not.toBeCloseTo(values[1] as number, 3);
    tf.dispose([x, w]);
  });
});

describe("wasm clones share memory", () => {
  beforeAll(async () => {
    await useBackend("wasm");
    registerWasmSharedIdentity();
  });

  it("a clone reads the same values, outlives its source and releases the buffer last", () => {
    const x = tf.tensor([1, 2, 3]);
    const before = tf.memory();
    const y = tf.clone(x);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors - 1);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers - 1);
  });
});
