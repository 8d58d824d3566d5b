import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "../src/train/backend.js";
import { fit } from "../src/train/fit.js";
import { tinyDataset } from "./sim-fixture.js";
import { memorisation, tinyTrainConfig } from "./tiny-training.js";

beforeAll(async () => {
  await useBackend("wasm");
});

describe("fit's memory", () => {
  it("stays flat across steps and epochs: tensor count, tensor bytes and resident memory", async () => {
    const dataset = await tinyDataset();
    const config = { ...tinyTrainConfig, maxEpochs: 4, limitTrainBatches: 4, limitValBatches: 1 };
    const { train, val } = memorisation(dataset.sessions[0]?.path as string, config);
    const tensors: number[] = [];
    const bytes: number[] = [];
    const rss: number[] = [];
    const before = tf.memory().numTensors;
    const result = await fit({
      config,
      train,
      val,
      runDir: mkdtempSync(join(tmpdir(), "emgkit-memory-")),
      onEvent: (event) => {
        if (event.type !== "step") return;
        tensors.push(tf.memory().numTensors);
        bytes.push(tf.memory().numBytes);
        rss.push(process.memoryUsage().rss);
      },
    });
    result.model.dispose();
    expect(tensors).toHaveLength(16);
    // Adam's moments are created at the first step; from then on every step (and every
    // validation and checkpoint between epochs) frees all it makes.
    expect(new Set(tensors.slice(1)).size).toBe(1);
    expect(new Set(bytes.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    // Resident memory from the second epoch on: no growth beyond allocator noise.
    const growth = (rss.at(-1) as number) - (rss[4] as number);
    expect(growth).toBeLessThan(64 * 2 ** 20);
  });
});
