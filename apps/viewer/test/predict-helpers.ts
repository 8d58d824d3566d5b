import type { LabelData } from "@emgkit/emg-io";
import { createModel, type EmgModel } from "@emgkit/models";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { windowInputs } from "../src/predict/features.js";
import type { InputSpec } from "../src/predict/run-config.js";

// Every test that uses these helpers runs tfjs on its CPU backend: importing them sets it.
await tf.setBackend("cpu");
await tf.ready();

/** Deterministic (T, 2, 16) EMG: noise plus a few sinusoids, in microvolt-like units. */
export function syntheticEmg(samples: number, seed = 1): Float32Array {
  const out = new Float32Array(samples * 32);
  let state = seed >>> 0;
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296 - 0.5;
  };
  for (let t = 0; t < samples; t++) {
    for (let c = 0; c < 32; c++) {
      out[t * 32 + c] = 20 * rand() + 5 * Math.sin((t * (c + 1)) / 37) * (1 + Math.sin(t / 900));
    }
  }
  return out;
}

/** 4 electrodes per band: small models, and the electrode transform is exercised. */
export const SMALL_SPEC: InputSpec = {
  transforms: {
    electrodes: { count: 4, strategy: "spread" },
    logSpectrogram: { nFft: 64, hopLength: 16 },
  },
  source: "config.yaml",
};

const input = { inFeatures: 4 * 33, electrodeChannels: 4, mlpFeatures: [8] };

/** Tiny models of every kind, 4 electrodes x 33 bins per band. */
export const tinyModels = {
  tds: () => createModel("tds", { ...input, blockChannels: [4, 4], kernelWidth: 5 }, 3),
  cnn: () => createModel("cnn", { ...input, channels: 8, numBlocks: 2, kernelWidth: 3 }, 3),
  tcn: () => createModel("tcn", { ...input, blockChannels: [8, 8], kernelSize: 3 }, 3),
  lstm: () =>
    createModel("lstm", { ...input, hiddenSize: 8, numLayers: 2, bidirectional: false }, 3),
  gru: () => createModel("gru", { ...input, hiddenSize: 8, numLayers: 2, bidirectional: false }, 3),
  bilstm: () =>
    createModel("lstm", { ...input, hiddenSize: 8, numLayers: 1, bidirectional: true }, 3),
  causalTransformer: () =>
    createModel(
      "transformer",
      { ...input, frameStacking: 2, dModel: 8, heads: 2, layers: 1, feedForward: 16, causal: true },
      3,
    ),
  transformer: () =>
    createModel(
      "transformer",
      {
        ...input,
        frameStacking: 2,
        dModel: 8,
        heads: 2,
        layers: 1,
        feedForward: 16,
        causal: false,
      },
      3,
    ),
} satisfies Record<string, () => EmgModel>;

/** model.forward over the whole signal's inputs (batch reference), (T_out, classes). */
export function batchEmissions(
  model: EmgModel,
  emg: Float32Array,
  spec = SMALL_SPEC,
): Float32Array {
  const inputs = windowInputs(emg, spec.transforms);
  return tf.tidy(() => {
    const x = tf.tensor(inputs.data, [inputs.frames, 1, 2, inputs.electrodes, inputs.freqs]);
    return model.forward(x, { training: false }).dataSync() as Float32Array;
  });
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++)
    max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

/** A session-like source over an in-memory signal, 2 kHz from t0, with a ground truth. */
export function memorySource(
  emg: Float32Array,
  truth: (startT: number, endT: number) => LabelData,
) {
  const length = emg.length / 32;
  const t0 = 1_600_000_000;
  return {
    length,
    read(start: number, end: number) {
      return {
        time: Float64Array.from({ length: end - start }, (_, i) => t0 + (start + i) / 2000),
        emg: emg.slice(start * 32, end * 32),
      };
    },
    groundTruth: (startT = -Infinity, endT = Infinity) => truth(startT, endT),
    t0,
  };
}
