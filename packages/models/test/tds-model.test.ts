import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { EmgModel } from "../src/model.js";
import { createModel, modelKinds } from "../src/models/registry.js";
import { createTds, defaultTdsConfig, type TdsConfig } from "../src/models/tds.js";
import { countParams, flatten } from "../src/params.js";
import {
  backends,
  expectGradientsMatchFiniteDifferences,
  expectVariableGradientsMatchFiniteDifferences,
  maxAbsDiff,
  projection,
  useBackend,
} from "./layers-testing.js";

interface Stored {
  shape: number[];
  data: number[];
}
interface Golden {
  torch: string;
  config: TdsConfig;
  state_dict: Record<string, Stored>;
  input: Stored;
  eval: Stored;
  train: { output: Stored; running_mean: Stored; running_var: Stored; num_batches_tracked: number };
}
const golden = JSON.parse(
  readFileSync(new URL("./golden/tds-small.json", import.meta.url), "utf8"),
) as Golden;

/** Copies PyTorch state_dict values into the model's parameters and buffers, by name. */
function loadStateDict(model: EmgModel, state: Record<string, Stored>): void {
  for (const [name, variable] of [...flatten(model.params), ...flatten(model.buffers)]) {
    const stored = state[name];
    if (stored === undefined) throw new Error(`no ${name} in the state_dict`);
    expect(variable.shape, name).toEqual(stored.shape);
    tf.tidy(() =>
      (variable as tf.Variable).assign(tf.tensor(stored.data, stored.shape, variable.dtype)),
    );
  }
}

/** 2 bands of 16 electrodes with 2 frequency bins; 8 features; 3-frame kernels. */
const tinyConfig: TdsConfig = {
  inFeatures: 32,
  mlpFeatures: [4],
  blockChannels: [2, 4],
  kernelWidth: 3,
  numClasses: 99,
};
const tinyInputShape = [9, 2, 2, 16, 2];

describe("TDS-conv model, full emg2qwerty size", () => {
  beforeAll(() => useBackend("wasm"));

  it("has exactly 5 293 315 parameters, receptive field 125 and T_out = T_in - 124", () => {
    const model = createTds();
    expect(model.config).toEqual(defaultTdsConfig);
    expect(countParams(model.params)).toBe(5_293_315);
    expect(model.receptiveField).toBe(125);
    expect(model.outputLength(622)).toBe(498);
    const x = tf.randomNormal([130, 1, 2, 16, 33]);
    const y = model.forward(x, { training: false });
    expect(y.shape).toEqual([130 - 4 * 31, 1, 99]);
    tf.dispose([x, y]);
    model.dispose();
  });
});

for (const backend of backends) {
  describe(`TDS-conv model on ${backend}`, () => {
    beforeAll(() => useBackend(backend));

    it("names its parameters and buffers exactly as TDSConvCTCModule's state_dict", () => {
      const model = createTds(golden.config);
      const names = [...flatten(model.params), ...flatten(model.buffers)].map(([name]) => name);
      expect(names.sort()).toEqual(Object.keys(golden.state_dict).sort());
      model.dispose();
    });

    it(`equals emg2qwerty (torch ${golden.torch}) in eval mode within 1e-4`, () => {
      const model = createTds(golden.config);
      loadStateDict(model, golden.state_dict);
      const x = tf.tensor(golden.input.data, golden.input.shape);
      const y = model.forward(x, { training: false });
      expect(y.shape).toEqual(golden.eval.shape);
      const diff = maxAbsDiff(y.dataSync(), golden.eval.data);
      console.log(`TDS eval parity on ${backend}: max |Δ log p| = ${diff.toExponential(2)}`);
      expect(diff).toBeLessThanOrEqual(1e-4);
      tf.dispose([x, y]);
      model.dispose();
    });

    it("equals emg2qwerty in train mode (batch statistics) and updates running statistics the same", () => {
      const model = createTds(golden.config);
      loadStateDict(model, golden.state_dict);
      const x = tf.tensor(golden.input.data, golden.input.shape);
      const y = model.forward(x, { training: true });
      const diff = maxAbsDiff(y.dataSync(), golden.train.output.data);
      console.log(`TDS train parity on ${backend}: max |Δ log p| = ${diff.toExponential(2)}`);
      expect(diff).toBeLessThanOrEqual(1e-4);
      const buffers = Object.fromEntries(flatten(model.buffers));
      const mean = buffers["model.0.batch_norm.running_mean"] as tf.Tensor;
      const variance = buffers["model.0.batch_norm.running_var"] as tf.Tensor;
      const seen = buffers["model.0.batch_norm.num_batches_tracked"] as tf.Tensor;
      expect(maxAbsDiff(mean.dataSync(), golden.train.running_mean.data)).toBeLessThan(1e-5);
      expect(maxAbsDiff(variance.dataSync(), golden.train.running_var.data)).toBeLessThan(1e-5);
      expect(seen.dataSync()[0]).toBe(golden.train.num_batches_tracked);
      tf.dispose([x, y]);
      model.dispose();
    });

    it("has finite-difference gradients for input and parameters", () => {
      const model = createTds(tinyConfig, 1);
      const x = tf.randomNormal(tinyInputShape, 0, 1, "float32", 2);
      const r = projection([model.outputLength(9), 2, 99]);
      const inputLoss = (input: tf.Tensor) =>
        tf.sum(tf.mul(model.forward(input, { training: true }), r)) as tf.Scalar;
      expectGradientsMatchFiniteDifferences(inputLoss, [x], 6);
      const byName = Object.fromEntries(flatten(model.params));
      const checked = [
        "model.1.mlps.1.mlp.0.weight",
        "model.3.tds_conv_blocks.0.conv2d.weight",
        "model.3.tds_conv_blocks.2.conv2d.bias",
        "model.3.tds_conv_blocks.3.fc_block.0.weight",
        "model.3.tds_conv_blocks.2.layer_norm.weight",
        "model.4.weight",
      ].map((name) => byName[name] as tf.Variable);
      expectVariableGradientsMatchFiniteDifferences(
        () => tf.sum(tf.mul(model.forward(x, { training: false }), r)) as tf.Scalar,
        checked,
        3,
        // Small step: a 1e-2 nudge of an MLP weight flips ReLUs (a kink, not a wrong gradient).
        1e-3,
      );
      tf.dispose([x, r]);
      model.dispose();
    });

    it("keeps no tensors across a training forward and backward", () => {
      const model = createTds(tinyConfig);
      const x = tf.randomNormal(tinyInputShape);
      const step = () =>
        tf.tidy(() => {
          const { value } = tf.variableGrads(
            () => tf.mean(model.forward(x, { training: true })) as tf.Scalar,
          );
          value.dataSync();
        });
      step();
      const before = tf.memory().numTensors;
      step();
      step();
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
      model.dispose();
    });

    it("initialises reproducibly from a seed, within PyTorch's default ranges", () => {
      const values = (model: EmgModel) =>
        flatten(model.params).map(([, v]) => Array.from(v.dataSync()));
      const a = createTds(tinyConfig, 5);
      const b = createTds(tinyConfig, 5);
      const c = createTds(tinyConfig, 6);
      expect(values(a)).toEqual(values(b));
      expect(values(a)).not.toEqual(values(c));
      const byName = Object.fromEntries(flatten(a.params));
      for (const [name, v] of flatten(a.params)) {
        const data = Array.from(v.dataSync());
        if (name.includes("norm.")) {
          expect(new Set(data), name).toEqual(new Set([name.endsWith("weight") ? 1 : 0]));
          continue;
        }
        // Linear and Conv2d: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = in · kernel size.
        const [, inputs = 0, , kernel = 1] = (
          byName[name.replace(/bias$/, "weight")] as tf.Variable
        ).shape;
        const bound = 1 / Math.sqrt(inputs * kernel);
        const max = Math.max(...data.map(Math.abs));
        expect(max, name).toBeLessThanOrEqual(bound);
        expect(max, name).toBeGreaterThan(bound / 2);
      }
      for (const model of [a, b, c]) model.dispose();
    });
  });
}

describe("model registry", () => {
  it("builds a TDS model with overrides over its defaults, and rejects unknown kinds", () => {
    expect(modelKinds).toContain("tds");
    const model = createModel("tds", { blockChannels: [8], kernelWidth: 4 }, 3);
    expect(model.kind).toBe("tds");
    expect(model.config).toEqual({ ...defaultTdsConfig, blockChannels: [8], kernelWidth: 4 });
    expect(model.receptiveField).toBe(4);
    model.dispose();
    expect(() => createModel("nope")).toThrow(/unknown model kind "nope"/);
  });
});
