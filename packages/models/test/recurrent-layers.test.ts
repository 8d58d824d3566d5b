import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { seedSequence } from "../src/init.js";
import { createGru, gru } from "../src/layers/gru.js";
import { createLstm, lstm } from "../src/layers/lstm.js";
import type { RecurrentConfig } from "../src/layers/recurrent-stack.js";
import { countParams, disposeTree, flatten } from "../src/params.js";
import {
  backends,
  type GoldenTensor,
  loadStateDict,
  maxAbsDiff,
  readGolden,
  toTensor,
} from "./recurrent-helpers.js";

interface LayerCase {
  name: string;
  kind: "lstm" | "gru";
  config: RecurrentConfig;
  stateDict: Record<string, GoldenTensor>;
  parameterCount: number;
  input: GoldenTensor;
  output: GoldenTensor;
  lossWeights: GoldenTensor;
  inputGradient: GoldenTensor;
  gradients: Record<string, GoldenTensor>;
}

const golden = readGolden<{ torch: string; cases: LayerCase[] }>("recurrent-layers.json");
const layers = { lstm: { create: createLstm, run: lstm }, gru: { create: createGru, run: gru } };

for (const backend of backends) {
  describe(`recurrent layers on ${backend}`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });

    for (const golden_case of golden.cases) {
      const { create, run } = layers[golden_case.kind];

      it(`${golden_case.name}: PyTorch ${golden.torch} parity, names and parameter count`, () => {
        const params = create(golden_case.config, seedSequence(0));
        expect(countParams(params)).toBe(golden_case.parameterCount);
        // Same key order as PyTorch's state_dict, not only the same set.
        expect(flatten(params).map(([name]) => name)).toEqual(Object.keys(golden_case.stateDict));
        loadStateDict(params, golden_case.stateDict);
        const input = toTensor(golden_case.input) as tf.Tensor3D;
        const expected = toTensor(golden_case.output);
        const output = run(params, golden_case.config, input, { training: false });
        expect(output.shape).toEqual(golden_case.output.shape);
        expect(maxAbsDiff(output, expected)).toBeLessThanOrEqual(1e-5);
        tf.dispose([input, expected, output]);
        disposeTree(params);
      });

      it(`${golden_case.name}: gradients equal PyTorch's`, () => {
        const params = create(golden_case.config, seedSequence(0));
        loadStateDict(params, golden_case.stateDict);
        const input = toTensor(golden_case.input) as tf.Tensor3D;
        const lossWeights = toTensor(golden_case.lossWeights);
        const named = flatten<tf.Variable>(params);
        const [inputGradient, ...paramGradients] = tf.grads((x, ...variables) => {
          const tree = Object.fromEntries(
            named.map(([name], k) => [name, variables[k] as tf.Variable]),
          );
          const output = run(tree, golden_case.config, x as tf.Tensor3D, { training: false });
          return tf.sum(tf.mul(output, lossWeights));
        })([input, ...named.map(([, variable]) => variable)]) as tf.Tensor[];
        expect(
          maxAbsDiff(inputGradient as tf.Tensor, toTensor(golden_case.inputGradient)),
        ).toBeLessThanOrEqual(1e-5);
        named.forEach(([name], k) => {
          const expected = toTensor(golden_case.gradients[name] as GoldenTensor);
          expect(maxAbsDiff(paramGradients[k] as tf.Tensor, expected), name).toBeLessThanOrEqual(
            1e-5,
          );
          expected.dispose();
        });
        tf.dispose([input, lossWeights, inputGradient as tf.Tensor, ...paramGradients]);
        disposeTree(params);
      });
    }

    it("trains with matching finite-difference gradients and leaks no tensor", () => {
      for (const [kind, { create, run }] of Object.entries(layers)) {
        const config: RecurrentConfig = {
          inputSize: 3,
          hiddenSize: 4,
          numLayers: 2,
          bidirectional: true,
          dropout: 0,
        };
        const params = create(config, seedSequence(7));
        const input = tf.randomNormal([5, 2, 3], 0, 1, "float32", 11) as tf.Tensor3D;
        const weights = tf.randomNormal([5, 2, 8], 0, 1, "float32", 12);
        const variables = flatten<tf.Variable>(params).map(([, variable]) => variable);
        const loss = () =>
          tf.sum(tf.mul(run(params, config, input, { training: true }), weights)) as tf.Scalar;

        const before = tf.memory().numTensors;
        const { value, grads } = tf.variableGrads(loss, variables);
        tf.dispose([value, ...Object.values(grads)]);
        expect(tf.memory().numTensors, `${kind} forward+backward leaks`).toBe(before);

        // Central differences on a few entries of the first layer's recurrent weight.
        const probed = params.weight_hh_l1_reverse as tf.Variable;
        const { grads: analytic } = tf.variableGrads(loss, [probed]);
        const gradient = (analytic[probed.name] as tf.Tensor).dataSync();
        const original = probed.dataSync().slice();
        const step = 1e-2;
        for (const index of [0, 5, 17, 42, probed.size - 1]) {
          const at = (delta: number) => {
            const shifted = original.slice();
            shifted[index] = (original[index] as number) + delta;
            tf.tidy(() => probed.assign(tf.tensor(shifted, probed.shape)));
            return tf.tidy(() => loss().dataSync()[0] as number);
          };
          const numeric = (at(step) - at(-step)) / (2 * step);
          expect(
            Math.abs(numeric - (gradient[index] as number)),
            `${kind} d/dw[${index}]`,
          ).toBeLessThan(2e-3 * Math.max(1, Math.abs(numeric)));
        }
        tf.tidy(() => probed.assign(tf.tensor(original, probed.shape)));
        tf.dispose([input, weights, ...Object.values(analytic)]);
        disposeTree(params);
      }
    });

    it("draws the same weights from the same seed and different ones from another", () => {
      const config: RecurrentConfig = {
        inputSize: 3,
        hiddenSize: 4,
        numLayers: 1,
        bidirectional: false,
        dropout: 0,
      };
      const values = (seed: number) => {
        const params = createGru(config, seedSequence(seed));
        const data = flatten(params).map(([, variable]) => Array.from(variable.dataSync()));
        disposeTree(params);
        return data;
      };
      expect(values(3)).toEqual(values(3));
      expect(values(3)).not.toEqual(values(4));
      const bound = 1 / Math.sqrt(config.hiddenSize);
      expect(
        values(3)
          .flat()
          .every((v) => Math.abs(v) <= bound),
      ).toBe(true);
    });

    it("applies inter-layer dropout only in training", () => {
      const config: RecurrentConfig = {
        inputSize: 3,
        hiddenSize: 4,
        numLayers: 2,
        bidirectional: false,
        dropout: 0.5,
      };
      const params = createLstm(config, seedSequence(1));
      const input = tf.randomNormal([6, 2, 3], 0, 1, "float32", 2) as tf.Tensor3D;
      const evalA = lstm(params, config, input, { training: false });
      const evalB = lstm(params, config, input, { training: false });
      expect(maxAbsDiff(evalA, evalB)).toBe(0);
      const trainOutputs = Array.from({ length: 4 }, () =>
        lstm(params, config, input, { training: true }),
      );
      expect(trainOutputs.some((output) => maxAbsDiff(output, evalA) > 1e-4)).toBe(true);
      tf.dispose([input, evalA, evalB, ...trainOutputs]);
      disposeTree(params);
    });
  });
}
