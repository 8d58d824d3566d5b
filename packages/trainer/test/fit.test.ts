import "@tensorflow/tfjs-core/dist/register_all_gradients";
import { mkdtempSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { parseMetrics } from "../src/metrics-record.js";
import { useBackend } from "../src/train/backend.js";
import { fit, runPaths } from "../src/train/fit.js";
import { tinyDataset } from "./sim-fixture.js";
import { memorisation, tinyTrainConfig } from "./tiny-training.js";

beforeAll(async () => {
  await useBackend("wasm");
});

describe("fit", () => {
  it("drives the CTC loss down and the CER below 60% on memorised windows", async () => {
    const dataset = await tinyDataset();
    const runDir = mkdtempSync(join(tmpdir(), "emgkit-fit-"));
    const config = { ...tinyTrainConfig, maxEpochs: Number(process.env.TINY_EPOCHS ?? 40) };
    const { train, val } = memorisation(dataset.sessions[0]?.path as string, config);
    const before = tf.memory().numTensors;
    const result = await fit({ config, train, val, runDir });
    result.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const records = parseMetrics(await readFile(runPaths(runDir).metrics, "utf8"));
    const epochs = records.filter((r) => r.kind === "epoch" && r.phase === "val");
    for (const r of epochs) console.log(JSON.stringify(r));
    const first = epochs[0];
    const last = epochs.at(-1);
    expect(last?.loss).toBeLessThan((first?.loss as number) / 2);
    expect(last?.CER).toBeLessThan(60);
  });
});
