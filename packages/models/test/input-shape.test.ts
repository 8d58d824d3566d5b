import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { EmgModel } from "../src/model.js";
import { createModel, modelKinds } from "../src/models/registry.js";
import { modelFromWeights, saveWeights } from "../src/weights/weights.js";
import { useBackend } from "./layers-testing.js";
import { tinyConfigs } from "./tiny-models.js";

/** 4 electrodes per band, 17 frequency bins (n_fft 32): inFeatures 68. */
const ELECTRODES = 4;
const FREQS = 17;

function build(kind: string, seed = 0): EmgModel {
  const tiny = tinyConfigs[kind] as object;
  return createModel(
    kind,
    { ...tiny, inFeatures: ELECTRODES * FREQS, electrodeChannels: ELECTRODES },
    seed,
  );
}

function framesFor(model: EmgModel): number {
  let frames = 8;
  while (model.outputLength(frames) < 3) frames++;
  return frames;
}

function batchNormSize(model: EmgModel): number {
  const params = model.params as unknown as {
    model: { "0": { batch_norm: { weight: tf.Tensor } } };
  };
  return params.model["0"].batch_norm.weight.shape[0] as number;
}

describe("models on (T, N, 2, k, F) inputs", () => {
  beforeAll(() => useBackend("cpu"));

  it.each(modelKinds)("%s: electrodeChannels 4, 17 bins: BatchNorm of 8, forward", (kind) => {
    const model = build(kind);
    try {
      expect(batchNormSize(model)).toBe(2 * ELECTRODES);
      const frames = framesFor(model);
      for (const training of [true, false]) {
        const y = tf.tidy(() =>
          model.forward(tf.randomNormal([frames, 2, 2, ELECTRODES, FREQS], 0, 1, "float32", 1), {
            training,
          }),
        );
        expect(y.shape).toEqual([model.outputLength(frames), 2, 99]);
        expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
        y.dispose();
      }
    } finally {
      model.dispose();
    }
  });

  it("rejects an input whose electrodes or bins do not fit the config, in one clear line", () => {
    const model = build("tds");
    try {
      const x = tf.zeros([40, 1, 2, 16, 33]);
      expect(() => model.forward(x, { training: false })).toThrow(
        /front end expects \(T, N, 2, 4, 17\)/,
      );
      x.dispose();
    } finally {
      model.dispose();
    }
  });

  it("rejects inFeatures that are not electrodeChannels · bins", () => {
    expect(() =>
      createModel("gru", { ...tinyConfigs.gru, inFeatures: 70, electrodeChannels: 4 }),
    ).toThrow(/inFeatures 70 is not electrodeChannels 4/);
  });

  it("a 4-electrode model survives a save/load round trip", () => {
    const model = build("tcn", 3);
    const frames = framesFor(model);
    const x = tf.randomNormal([frames, 2, 2, ELECTRODES, FREQS], 0, 1, "float32", 2);
    tf.dispose(model.forward(x, { training: true })); // move the BatchNorm running statistics
    const loaded = modelFromWeights(saveWeights(model));
    try {
      expect(loaded.kind).toBe("tcn");
      expect((loaded.config as { electrodeChannels?: number }).electrodeChannels).toBe(ELECTRODES);
      expect(batchNormSize(loaded)).toBe(2 * ELECTRODES);
      const expected = model.forward(x, { training: false });
      const actual = loaded.forward(x, { training: false });
      expect(Array.from(actual.dataSync())).toEqual(Array.from(expected.dataSync()));
      tf.dispose([expected, actual]);
    } finally {
      x.dispose();
      model.dispose();
      loaded.dispose();
    }
  });
});
