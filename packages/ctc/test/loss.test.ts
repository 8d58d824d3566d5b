import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { type CtcReduction, ctcLoss } from "../src/loss/ctc-loss.js";
import { logSpaceForwardBackward } from "../src/loss/log-space-forward-backward.js";
import {
  ForwardBackwardWorkspace,
  scaledForwardBackward,
} from "../src/loss/scaled-forward-backward.js";
import { buildSequence } from "../src/loss/sequence.js";
import { randomGenerator } from "./random.js";

type JsonNumber = number | "NaN" | "Infinity" | "-Infinity";

interface GoldenCase {
  name: string;
  shape: [number, number, number];
  blank: number;
  reduction: CtcReduction;
  zeroInfinity: boolean;
  layout: "padded" | "concatenated";
  targets: number[] | number[][];
  inputLengths: number[];
  targetLengths: number[];
  weights: number[] | null;
  logProbs: number[];
  loss: JsonNumber[];
  gradient: JsonNumber[];
}

const golden: { torch: string; cases: GoldenCase[] } = JSON.parse(
  readFileSync(new URL("./golden/ctc-loss.json", import.meta.url), "utf8"),
);

const toNumber = (value: JsonNumber) => (typeof value === "number" ? value : Number(value));

/** Relative tolerance, with an absolute floor for values near zero. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string) {
  expect(actual.length, label).toBe(expected.length);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      expect(Object.is(a, e) || a === e, `${label}[${i}] = ${a}, expected ${e}`).toBe(true);
      continue;
    }
    const excess = Math.abs(a - e) / (1e-4 * Math.abs(e) + 1e-6);
    if (!(excess <= worst)) {
      worst = excess;
      worstAt = i;
    }
  }
  expect(
    worst,
    `${label}[${worstAt}] = ${actual[worstAt]}, expected ${expected[worstAt]}`,
  ).toBeLessThanOrEqual(1);
}

function randomLogits(random: () => number, size: number, spread: number) {
  return Float64Array.from({ length: size }, () => (random() * 2 - 1) * spread);
}

/** Row-wise log-softmax over the last axis of size `classes`, float64. */
function logSoftmax(logits: Float64Array, classes: number) {
  const out = new Float64Array(logits.length);
  for (let row = 0; row < logits.length; row += classes) {
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[row + c] as number);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp((logits[row + c] as number) - max);
    const logSum = max + Math.log(sum);
    for (let c = 0; c < classes; c++) out[row + c] = (logits[row + c] as number) - logSum;
  }
  return out;
}

/**
 * CTC loss by brute force: -log of the summed probability of every frame-label path of length
 * T_n that collapses (merge repeats, drop blanks) to the target. Independent of the recursions.
 */
function bruteForceLoss(
  logProbs: Float64Array,
  shape: [number, number, number],
  n: number,
  frames: number,
  target: number[],
  blank: number,
) {
  const [, batchSize, classes] = shape;
  const path = new Array<number>(frames).fill(0);
  let probability = 0;
  for (let index = 0; index < classes ** frames; index++) {
    let rest = index;
    for (let t = 0; t < frames; t++) {
      path[t] = rest % classes;
      rest = Math.floor(rest / classes);
    }
    const collapsed: number[] = [];
    for (let t = 0; t < frames; t++) {
      const label = path[t] as number;
      if (label !== blank && (t === 0 || path[t - 1] !== label)) collapsed.push(label);
    }
    if (collapsed.length !== target.length || collapsed.some((l, i) => l !== target[i])) continue;
    let logProbability = 0;
    for (let t = 0; t < frames; t++) {
      logProbability += logProbs[(t * batchSize + n) * classes + (path[t] as number)] as number;
    }
    probability += Math.exp(logProbability);
  }
  return -Math.log(probability);
}

for (const backend of ["cpu", "wasm"] as const) {
  describe(`ctcLoss on the ${backend} backend`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
      await tf.ready();
    });

    describe(`equals torch ${golden.torch} ctc_loss (float64 reference)`, () => {
      for (const golden_case of golden.cases) {
        it(golden_case.name, () => {
          const { shape, weights } = golden_case;
          const options = {
            blank: golden_case.blank,
            reduction: golden_case.reduction,
            zeroInfinity: golden_case.zeroInfinity,
          };
          const logProbs = tf.tensor3d(Float32Array.from(golden_case.logProbs), shape);
          const objective = (input: tf.Tensor) => {
            const loss = ctcLoss(
              input,
              golden_case.targets,
              golden_case.inputLengths,
              golden_case.targetLengths,
              options,
            );
            return weights ? tf.sum(tf.mul(loss, tf.tensor1d(weights))) : loss;
          };
          const loss = ctcLoss(
            logProbs,
            golden_case.targets,
            golden_case.inputLengths,
            golden_case.targetLengths,
            options,
          );
          const gradient = tf.grad(objective)(logProbs);
          expectClose(loss.dataSync(), golden_case.loss.map(toNumber), "loss");
          expectClose(gradient.dataSync(), golden_case.gradient.map(toNumber), "gradient");
          tf.dispose([logProbs, loss, gradient]);
        });
      }
    });

    it("matches a brute-force loss and its finite-difference gradient through logSoftmax", () => {
      const shape: [number, number, number] = [6, 3, 4];
      const targets = [[1, 1], [2, 3, 2], [3]];
      const inputLengths = [6, 6, 4];
      const blank = 0;
      const logits = randomLogits(randomGenerator(7), 6 * 3 * 4, 2);
      const targetLengths = targets.map((target) => target.length);
      const lossOf = (values: Float64Array) => {
        const logProbs = logSoftmax(values, shape[2]);
        let total = 0;
        for (let n = 0; n < shape[1]; n++) {
          const loss = bruteForceLoss(
            logProbs,
            shape,
            n,
            inputLengths[n] as number,
            targets[n] as number[],
            blank,
          );
          total += loss / Math.max(1, targets[n]?.length ?? 0) / shape[1];
        }
        return total;
      };

      const logitsTensor = tf.tensor3d(Float32Array.from(logits), shape);
      const objective = (x: tf.Tensor) =>
        ctcLoss(tf.logSoftmax(x), targets, inputLengths, targetLengths, { blank });
      const { value, grad } = tf.valueAndGrad(objective)(logitsTensor);
      expect(value.dataSync()[0]).toBeCloseTo(lossOf(logits), 5);

      const step = 1e-6;
      const numeric = new Float64Array(logits.length);
      for (let i = 0; i < logits.length; i++) {
        const plus = Float64Array.from(logits);
        const minus = Float64Array.from(logits);
        plus[i] = (plus[i] as number) + step;
        minus[i] = (minus[i] as number) - step;
        numeric[i] = (lossOf(plus) - lossOf(minus)) / (2 * step);
      }
      const analytic = grad.dataSync();
      for (let i = 0; i < numeric.length; i++) {
        expect(Math.abs((analytic[i] as number) - (numeric[i] as number))).toBeLessThan(1e-5);
      }
      tf.dispose([logitsTensor, value, grad]);
    });

    it("stays finite and exact at T = 20 000 (checkpointed alphas, against log space)", () => {
      const shape: [number, number, number] = [20_000, 1, 99];
      const random = randomGenerator(11);
      const logProbs = Float32Array.from(logSoftmax(randomLogits(random, 20_000 * 99, 4), 99));
      const target = Int32Array.from({ length: 400 }, () => Math.floor(random() * 98));
      const tensor = tf.tensor3d(logProbs, shape);
      const { value, grad } = tf.valueAndGrad((x: tf.Tensor) =>
        ctcLoss(x, target, [20_000], [400], { blank: 98, reduction: "sum" }),
      )(tensor);
      const loss = value.dataSync()[0] as number;
      const gradient = grad.dataSync();
      tf.dispose([tensor, value, grad]);

      const reference = new Float32Array(logProbs.length);
      const sequence = buildSequence(logProbs, shape, 0, 20_000, target, 98);
      const referenceLoss = logSpaceForwardBackward(sequence, reference);
      expect(Number.isFinite(loss)).toBe(true);
      expect(Math.abs(loss - referenceLoss) / referenceLoss).toBeLessThan(1e-6);
      let largestDifference = 0;
      let largestMagnitude = 0;
      let largestRowSum = 0;
      for (let t = 0; t < 20_000; t++) {
        let rowSum = 0;
        for (let c = 0; c < 99; c++) {
          const g = gradient[t * 99 + c] as number;
          rowSum += g;
          largestMagnitude = Math.max(largestMagnitude, Math.abs(g));
          largestDifference = Math.max(
            largestDifference,
            Math.abs(g - (reference[t * 99 + c] as number)),
          );
        }
        largestRowSum = Math.max(largestRowSum, Math.abs(rowSum));
      }
      expect(largestMagnitude).toBeLessThanOrEqual(1);
      expect(largestRowSum).toBeLessThan(1e-4);
      expect(largestDifference).toBeLessThan(1e-6);
    });

    it("falls back to log space where alignments differ by more than float64's range", () => {
      const shape: [number, number, number] = [90, 1, 4];
      const logProbs = new Float32Array(90 * 4).fill(-200);
      for (let t = 0; t < 90; t++) {
        const burst = (t >= 5 && t < 25) || (t >= 55 && t < 80);
        logProbs[t * 4 + (burst ? 2 : 0)] = 0;
      }
      const sequence = buildSequence(logProbs, shape, 0, 90, Int32Array.of(2), 0);
      const gradient = new Float32Array(logProbs.length);
      expect(
        scaledForwardBackward(sequence, gradient, new ForwardBackwardWorkspace()),
      ).toBeUndefined();
      const loss = ctcLoss(tf.tensor3d(logProbs, shape), [2], [90], [1], { reduction: "sum" });
      expect(loss.dataSync()[0]).toBeCloseTo(4000, 2);
      loss.dispose();
    });

    it("gives 0 for empty input and empty target, Infinity for empty input and a target", () => {
      const logProbs = tf.tensor3d(
        Float32Array.from(logSoftmax(randomLogits(randomGenerator(3), 2 * 2 * 3, 1), 3)),
        [2, 2, 3],
      );
      const loss = ctcLoss(logProbs, [[], [1]], [0, 0], [0, 1], { reduction: "none" });
      expect(Array.from(loss.dataSync())).toEqual([0, Number.POSITIVE_INFINITY]);
      tf.dispose([logProbs, loss]);
    });

    it("leaks no tensors through forward and backward", () => {
      const logits = tf.tensor3d(
        Float32Array.from(randomLogits(randomGenerator(5), 30 * 4 * 10, 2)),
        [30, 4, 10],
      );
      const targets = tf.tensor2d(
        [
          [1, 2, 3],
          [4, 4, 0],
          [5, 0, 0],
          [9, 8, 7],
        ],
        [4, 3],
        "int32",
      );
      const inputLengths = tf.tensor1d([30, 20, 10, 25], "int32");
      const targetLengths = tf.tensor1d([3, 2, 1, 3], "int32");
      const before = tf.memory().numTensors;
      for (const reduction of ["none", "sum", "mean"] as const) {
        const { value, grad } = tf.valueAndGrad((x: tf.Tensor) =>
          tf.sum(
            ctcLoss(tf.logSoftmax(x), targets, inputLengths, targetLengths, {
              blank: 0,
              reduction,
            }),
          ),
        )(logits);
        tf.dispose([value, grad]);
      }
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([logits, targets, inputLengths, targetLengths]);
    });

    describe("rejects bad input with a RangeError", () => {
      const logProbs = () => tf.zeros([5, 2, 4]);
      const cases: [string, () => unknown, RegExp][] = [
        [
          "rank",
          () => ctcLoss(tf.zeros([5, 4]), [[1], [1]], [5, 5], [1, 1]),
          /float32 \(T, N, C\)/,
        ],
        ["blank", () => ctcLoss(logProbs(), [[1], [1]], [5, 5], [1, 1], { blank: 4 }), /blank 4/],
        [
          "input length",
          () => ctcLoss(logProbs(), [[1], [1]], [5, 6], [1, 1]),
          /inputLengths\[1\] = 6/,
        ],
        [
          "length count",
          () => ctcLoss(logProbs(), [[1], [1]], [5], [1, 1]),
          /inputLengths must have shape \[2\]/,
        ],
        [
          "target length",
          () => ctcLoss(logProbs(), [[1], [1]], [5, 5], [1, 2]),
          /targetLengths\[1\] = 2/,
        ],
        ["ragged row", () => ctcLoss(logProbs(), [[1], [1, 2]], [5, 5], [2, 2]), /row of 1/],
        ["label range", () => ctcLoss(logProbs(), [[1], [4]], [5, 5], [1, 1]), /label 4/],
        [
          "blank in target",
          () => ctcLoss(logProbs(), [1, 0], [5, 5], [1, 1]),
          /contains the blank/,
        ],
        ["concatenated sum", () => ctcLoss(logProbs(), [1, 2, 3], [5, 5], [1, 1]), /sum to 2/],
        [
          "reduction",
          () => ctcLoss(logProbs(), [1, 2], [5, 5], [1, 1], { reduction: "max" as CtcReduction }),
          /reduction/,
        ],
      ];
      for (const [name, call, message] of cases) {
        it(name, () => {
          const before = tf.memory().numTensors;
          expect(() => tf.tidy(() => void call())).toThrow(RangeError);
          expect(() => tf.tidy(() => void call())).toThrow(message);
          expect(tf.memory().numTensors).toBe(before);
        });
      }
    });
  });
}
