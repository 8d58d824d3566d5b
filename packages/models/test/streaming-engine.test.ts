import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { EmgModel } from "../src/model.js";
import { createModel } from "../src/models/registry.js";
import { concatFloat32, EmissionEngine, streamMode } from "../src/streaming/emission-engine.js";
import { backends, maxAbsDiff, projection, useBackend } from "./layers-testing.js";

/** 16 electrodes x 3 frequency bins per band, as `tiny-models.ts`. */
const SHAPE = { electrodes: 16, freqs: 3 };
const frontEnd = { inFeatures: 48, mlpFeatures: [8] };

const causalModels: Record<string, () => EmgModel> = {
  tds: () => createModel("tds", { ...frontEnd, blockChannels: [4, 4], kernelWidth: 3 }, 5),
  cnn: () => createModel("cnn", { ...frontEnd, channels: 8, numBlocks: 2, kernelWidth: 3 }, 5),
  tcn: () => createModel("tcn", { ...frontEnd, blockChannels: [6, 4], kernelSize: 3 }, 5),
  // A two-layer front-end MLP here: the stream batches each MLP layer over the bands.
  lstm: () =>
    createModel(
      "lstm",
      { ...frontEnd, mlpFeatures: [8, 6], hiddenSize: 8, numLayers: 2, bidirectional: false },
      5,
    ),
  gru: () =>
    createModel("gru", { ...frontEnd, hiddenSize: 8, numLayers: 2, bidirectional: false }, 5),
  "causal transformer": () =>
    createModel(
      "transformer",
      {
        ...frontEnd,
        frameStacking: 2,
        dModel: 8,
        heads: 2,
        layers: 1,
        feedForward: 8,
        causal: true,
      },
      5,
    ),
};

/** Chunk sizes that do not divide the stream: 1-frame pushes, an empty one, a long one. */
const CHUNKS = [1, 5, 0, 3, 12, 2, 7];

/** (T, 2, 16, 3) input frames, row-major. */
function frames(count: number, seed: number): Float32Array {
  return tf.tidy(() => projection([count, 2, 16, 3], seed).dataSync() as Float32Array);
}

function forward(model: EmgModel, data: Float32Array, count: number): Float32Array {
  return tf.tidy(
    () =>
      model
        .forward(tf.tensor(data, [count, 1, 2, 16, 3]), { training: false })
        .dataSync() as Float32Array,
  );
}

/** `data` pushed in the ragged chunks, then finished: every emission, in order. */
function streamInChunks(engine: EmissionEngine, data: Float32Array, count: number): Float32Array {
  const size = 2 * 16 * 3;
  const parts: Float32Array[] = [];
  for (let at = 0, i = 0; at < count; i++) {
    const n = Math.min(CHUNKS[i % CHUNKS.length] as number, count - at);
    parts.push(
      engine.push({ data: data.subarray(at * size, (at + n) * size), frames: n, ...SHAPE }),
    );
    at += n;
  }
  parts.push(engine.finish());
  return concatFloat32(parts);
}

for (const backend of backends) {
  describe(`EmissionEngine on ${backend}`, () => {
    beforeAll(() => useBackend(backend));

    for (const [name, make] of Object.entries(causalModels)) {
      it(`${name}: ragged chunks give model.forward's emissions, and again after reset`, () => {
        const before = tf.memory().numTensors;
        const model = make();
        const count = 61;
        const input = frames(count, 11);
        const expected = forward(model, input, count);
        const engine = new EmissionEngine(model, SHAPE);
        expect(engine.mode.kind).not.toBe("bidirectional");
        const streamed = streamInChunks(engine, input, count);
        expect(streamed.length).toBe(expected.length);
        expect(expected.length).toBeGreaterThan(0);
        expect(maxAbsDiff(streamed, expected)).toBeLessThan(1e-4);
        expect(engine.exact).toBe(true);
        expect(engine.emitted * engine.classes).toBe(expected.length);
        engine.reset();
        expect(maxAbsDiff(streamInChunks(engine, input, count), expected)).toBeLessThan(1e-4);
        engine.dispose();
        model.dispose();
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  });
}

describe("EmissionEngine modes", () => {
  beforeAll(() => useBackend("cpu"));

  it("streams each kind the cheapest exact way, and models that see the future in windows", () => {
    const bidirectional: Record<string, () => EmgModel> = {
      bilstm: () =>
        createModel("lstm", { ...frontEnd, hiddenSize: 8, numLayers: 1, bidirectional: true }, 5),
      transformer: () =>
        createModel(
          "transformer",
          { ...frontEnd, frameStacking: 2, dModel: 8, heads: 2, layers: 1, feedForward: 8 },
          5,
        ),
    };
    const kinds = Object.fromEntries(
      Object.entries({ ...causalModels, ...bidirectional }).map(([name, make]) => {
        const model = make();
        const mode = streamMode(model);
        model.dispose();
        return [name, mode];
      }),
    );
    expect(kinds).toEqual({
      tds: { kind: "valid", field: 5 },
      cnn: { kind: "valid", field: 5 },
      tcn: { kind: "causal-conv", field: 13 },
      lstm: { kind: "recurrent" },
      gru: { kind: "recurrent" },
      "causal transformer": { kind: "causal-history", stride: 2 },
      bilstm: { kind: "bidirectional", stride: 1 },
      transformer: { kind: "bidirectional", stride: 2 },
    });
  });

  it("runs a bidirectional model in windows with context, exact only within one window", () => {
    const model = createModel(
      "lstm",
      { ...frontEnd, hiddenSize: 8, numLayers: 1, bidirectional: true },
      5,
    );
    const count = 40;
    const input = frames(count, 3);
    const expected = forward(model, input, count);
    const whole = new EmissionEngine(model, SHAPE);
    expect(streamInChunks(whole, input, count).length).toBe(expected.length);
    expect(whole.exact).toBe(true);
    const windowed = new EmissionEngine(model, SHAPE, { windowFrames: 8, contextFrames: 4 });
    const streamed = streamInChunks(windowed, input, count);
    expect(streamed.length).toBe(expected.length);
    expect(windowed.exact).toBe(false);
    // The first window, frames 0-7, is run over frames 0-11 (its right context) and kept.
    const classes = windowed.classes;
    const firstWindow = forward(model, input.subarray(0, 12 * 2 * 16 * 3), 12);
    expect(
      maxAbsDiff(streamed.subarray(0, 8 * classes), firstWindow.subarray(0, 8 * classes)),
    ).toBeLessThan(1e-5);
    expect(maxAbsDiff(streamed, expected)).toBeGreaterThan(1e-4);
    for (const engine of [whole, windowed]) engine.dispose();
    model.dispose();
  });

  it("refuses frames of another shape, naming both", () => {
    const model = causalModels.tcn?.() as EmgModel;
    const engine = new EmissionEngine(model, SHAPE);
    expect(() =>
      engine.push({ data: new Float32Array(2 * 8 * 3), frames: 1, electrodes: 8, freqs: 3 }),
    ).toThrow("frames of (2, 8, 3) for a model of (2, 16, 3)");
    engine.dispose();
    model.dispose();
  });
});
