import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { EmgModel } from "../src/model.js";
import { createCnnModel } from "../src/models/cnn.js";
import { createCnnBiLstmModel } from "../src/models/cnn-bilstm.js";
import { createGruModel } from "../src/models/gru.js";
import { createLstmModel } from "../src/models/lstm.js";
import { countParams, flatten, type ParamTree } from "../src/params.js";
import { backends, readGolden } from "./recurrent-helpers.js";

interface ModelCase {
  kind: "lstm" | "gru" | "cnn" | "cnn-bilstm";
  name: string;
  config: Record<string, unknown>;
  parameters: Array<[string, number[]]>;
  buffers: Array<[string, number[]]>;
  parameterCount: number;
}

const golden = readGolden<{ torch: string; models: ModelCase[] }>("recurrent-models.json");

// biome-ignore lint/suspicious/noExplicitAny: each factory takes its own config type, the golden file holds them all
const factories: Record<ModelCase["kind"], (config: any, seed: number) => EmgModel> = {
  lstm: createLstmModel,
  gru: createGruModel,
  cnn: createCnnModel,
  "cnn-bilstm": createCnnBiLstmModel,
};

const tiny = (kind: ModelCase["kind"]) =>
  golden.models.find((model) => model.kind === kind && model.name === "tiny") as ModelCase;

const shapesOf = (tree: object) =>
  flatten(tree as ParamTree).map(([name, tensor]) => [name, tensor.shape]);

/** A seeded spectrogram batch (T, N, 2, 16, 4) matching the tiny configs' 64 input features. */
const spectrograms = (frames: number, batch: number, seed = 5) =>
  tf.randomNormal([frames, batch, 2, 16, 4], 0, 1, "float32", seed);

for (const backend of backends) {
  describe(`recurrent and cnn models on ${backend}`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });

    for (const modelCase of golden.models) {
      it(`${modelCase.kind} (${modelCase.name}): PyTorch ${golden.torch} names, shapes, parameter count`, () => {
        const model = factories[modelCase.kind](modelCase.config, 0);
        expect(shapesOf(model.params)).toEqual(modelCase.parameters);
        expect(shapesOf(model.buffers)).toEqual(modelCase.buffers);
        expect(countParams(model.params)).toBe(modelCase.parameterCount);
        model.dispose();
      });
    }

    it("shapes, output lengths and receptive fields", () => {
      const frames = 20;
      const expected = {
        lstm: { outFrames: 20, receptiveField: Number.POSITIVE_INFINITY },
        gru: { outFrames: 20, receptiveField: Number.POSITIVE_INFINITY },
        cnn: { outFrames: 20 - 3 * 2, receptiveField: 3 * 2 + 1 },
        "cnn-bilstm": { outFrames: 20 - 2 * 2, receptiveField: Number.POSITIVE_INFINITY },
      };
      for (const [kind, { outFrames, receptiveField }] of Object.entries(expected)) {
        const model = factories[kind as ModelCase["kind"]](
          tiny(kind as ModelCase["kind"]).config,
          1,
        );
        expect(model.kind).toBe(kind);
        expect(model.outputLength(frames), kind).toBe(outFrames);
        expect(model.receptiveField, kind).toBe(receptiveField);
        const inputs = spectrograms(frames, 2);
        for (const training of [true, false]) {
          const logProbs = model.forward(inputs, { training });
          expect(logProbs.shape, kind).toEqual([outFrames, 2, 99]);
          // Log-probabilities: each frame's probabilities sum to 1.
          const total = tf.tidy(() => tf.sum(tf.exp(logProbs), -1));
          expect(
            Math.max(...Array.from(total.dataSync(), (v) => Math.abs(v - 1))),
            kind,
          ).toBeLessThan(1e-5);
          tf.dispose([logProbs, total]);
        }
        inputs.dispose();
        model.dispose();
      }
    });

    it("no tensor leaks across forward + backward", () => {
      for (const kind of Object.keys(factories) as Array<ModelCase["kind"]>) {
        const model = factories[kind](tiny(kind).config, 2);
        const inputs = spectrograms(12, 2);
        const variables = flatten<tf.Variable>(model.params);
        const before = tf.memory().numTensors;
        const { value, grads } = tf.variableGrads(
          () => tf.mean(model.forward(inputs, { training: true })) as tf.Scalar,
          variables.map(([, variable]) => variable),
        );
        tf.dispose([value, ...Object.values(grads)]);
        expect(tf.memory().numTensors, kind).toBe(before);
        inputs.dispose();
        model.dispose();
      }
    });

    it("seeded initialisation is reproducible", () => {
      for (const kind of Object.keys(factories) as Array<ModelCase["kind"]>) {
        const values = (seed: number) => {
          const model = factories[kind](tiny(kind).config, seed);
          const data = flatten(model.params).map(([, variable]) => Array.from(variable.dataSync()));
          model.dispose();
          return data;
        };
        expect(values(9), kind).toEqual(values(9));
        expect(values(9), kind).not.toEqual(values(10));
      }
    });
  });
}

describe("cnn-bilstm gradients on wasm", () => {
  beforeAll(async () => {
    await tf.setBackend("wasm");
  });

  it("tf.grad matches central finite differences through front end, conv, LSTM and classifier", () => {
    const model = factories["cnn-bilstm"](tiny("cnn-bilstm").config, 3);
    const inputs = spectrograms(10, 2);
    const lossWeights = tf.randomNormal([model.outputLength(10), 2, 99], 0, 1, "float32", 6);
    const loss = () =>
      tf.sum(tf.mul(model.forward(inputs, { training: false }), lossWeights)) as tf.Scalar;
    const probedNames = [
      "model.1.mlps.0.mlp.0.weight",
      "conv_blocks.0.conv2d.weight",
      "conv_blocks.1.layer_norm.bias",
      "lstm.weight_hh_l0_reverse",
      "lstm.weight_ih_l1",
      "lstm.bias_hh_l1",
      "classifier.weight",
    ];
    const probed = flatten<tf.Variable>(model.params).filter(([name]) =>
      probedNames.includes(name),
    );
    expect(probed).toHaveLength(probedNames.length);
    const { grads } = tf.variableGrads(
      loss,
      probed.map(([, variable]) => variable),
    );
    // Directional derivatives along a random unit direction per tensor: one float32
    // difference of a whole-tensor move is well above rounding noise, single entries are not.
    // Float32 rounding leaves about 5e-3 of noise in these differences, and a larger step meets ReLU kinks.
    const step = 1e-2;
    probed.forEach(([name, variable], k) => {
      const original = variable.clone();
      const direction = tf.tidy(() => {
        const d = tf.randomNormal(variable.shape, 0, 1, "float32", 100 + k);
        return tf.div(d, tf.norm(d));
      });
      const lossAt = (delta: number) => {
        tf.tidy(() => variable.assign(tf.add(original, tf.mul(direction, delta))));
        return tf.tidy(() => loss().dataSync()[0] as number);
      };
      const numeric = (lossAt(step) - lossAt(-step)) / (2 * step);
      const analytic = tf.tidy(
        () => tf.sum(tf.mul(grads[variable.name] as tf.Tensor, direction)).dataSync()[0] as number,
      );
      expect(Math.abs(numeric - analytic), `${name}: ${numeric} vs ${analytic}`).toBeLessThan(
        0.03 * Math.abs(analytic) + 5e-3,
      );
      variable.assign(original);
      tf.dispose([original, direction]);
    });
    tf.dispose([inputs, lossWeights, ...Object.values(grads)]);
    model.dispose();
  });
});
