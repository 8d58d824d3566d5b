import { mkdtempSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { saveWeights } from "@emgkit/models";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { type EpochRecord, parseMetrics } from "../src/metrics-record.js";
import { useBackend } from "../src/train/backend.js";
import { loadCheckpoint } from "../src/train/checkpoint.js";
import { DivergedError, fit, runPaths } from "../src/train/fit.js";
import { writeCleanTypistSession } from "./clean-typist.js";
import { tinyDataset } from "./sim-fixture.js";
import { memorisation, tinyTrainConfig } from "./tiny-training.js";

beforeAll(async () => {
  await useBackend("wasm");
});

const tmp = () => mkdtempSync(join(tmpdir(), "emgkit-fit-"));

async function epochs(runDir: string, phase: "train" | "val"): Promise<EpochRecord[]> {
  const records = parseMetrics(await readFile(runPaths(runDir).metrics, "utf8"));
  return records.filter((r): r is EpochRecord => r.kind === "epoch" && r.phase === phase);
}

describe("fit", () => {
  it("gets past CTC's first plateau on a clean typist: best val CER below 90% in 1350 steps", async () => {
    const dir = tmp();
    const [trainPath, valPath] = [join(dir, "train.hdf5"), join(dir, "val.hdf5")];
    await writeCleanTypistSession(trainPath, 60, 1);
    await writeCleanTypistSession(valPath, 20, 2);
    const config = { ...tinyTrainConfig, maxEpochs: 90, optimizer: { lr: 1e-3 } };
    const windowing = { windowLength: 2000, padding: [200, 100] as [number, number] };
    const transforms = tinyTrainConfig.data.evalTransforms;
    const result = await fit({
      config,
      train: { paths: [trainPath], windowing: { ...windowing, jitter: true }, transforms },
      val: { paths: [valPath], windowing, transforms },
      runDir: join(dir, "run"),
    });
    result.model.dispose();
    expect(result.state.step).toBe(1350);
    const val = await epochs(join(dir, "run"), "val");
    // Measured: blank-only (CER 100) for ~900 steps, then 71-88 % from step 1050 on.
    expect(Math.min(...val.map((r) => r.CER))).toBeLessThan(90);
    expect(result.state.bestValCer).toBeLessThan(90);
  }, 600_000);

  it("drives the CTC loss down, writes metrics and checkpoints, and leaks no tensor", async () => {
    const dataset = await tinyDataset();
    const runDir = tmp();
    const config = { ...tinyTrainConfig, maxEpochs: 6 };
    const { train, val } = memorisation(dataset.sessions[0]?.path as string, config);
    const before = tf.memory().numTensors;
    const result = await fit({ config, train, val, runDir });
    result.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(result.state.epoch).toBe(6);
    expect(result.stoppedBy).toBe("max-epochs");
    const valEpochs = await epochs(runDir, "val");
    expect(valEpochs).toHaveLength(6);
    const first = valEpochs[0] as EpochRecord;
    const last = valEpochs.at(-1) as EpochRecord;
    const steps = parseMetrics(await readFile(runPaths(runDir).metrics, "utf8")).filter(
      (r) => r.kind === "step",
    );
    expect(steps.length).toBe(result.state.step);
    // From random emissions (tens of nats per character) down into CTC's first plateau.
    expect(steps[0]?.loss).toBeGreaterThan(20);
    expect(last.loss).toBeLessThan(first.loss);
    expect(last.loss).toBeLessThan(4);
    expect(last.CER).toBeGreaterThanOrEqual(0);
    const checkpoint = await loadCheckpoint(runPaths(runDir).last);
    expect(checkpoint.trainer.epoch).toBe(6);
    checkpoint.model.dispose();
  });

  it("resumes bit-exactly: 2 epochs, or 1 then a resume for the second, give the same weights", async () => {
    const dataset = await tinyDataset();
    const config = { ...tinyTrainConfig, limitTrainBatches: 2, limitValBatches: 1, seed: 9 };
    const train = {
      paths: [dataset.sessions[0]?.path as string],
      windowing: { windowLength: 2000, padding: [200, 100] as [number, number], jitter: true },
      transforms: {
        bandRotation: { offsets: [-1, 0, 1] },
        temporalJitter: { maxOffset: 120 },
        logSpectrogram: { nFft: 64, hopLength: 16 },
        specAugment: { nTimeMasks: 1, timeMaskParam: 5, nFreqMasks: 1, freqMaskParam: 2 },
      },
    };
    const { val } = memorisation(dataset.sessions[0]?.path as string, config);
    const straight = tmp();
    const whole = await fit({ config: { ...config, maxEpochs: 2 }, train, val, runDir: straight });
    const interrupted = tmp();
    (
      await fit({ config: { ...config, maxEpochs: 1 }, train, val, runDir: interrupted })
    ).model.dispose();
    const resumed = await fit({
      config: { ...config, maxEpochs: 2 },
      train,
      val,
      runDir: interrupted,
      resume: true,
    });
    expect(resumed.state.step).toBe(whole.state.step);
    expect(
      Buffer.from(saveWeights(resumed.model)).equals(Buffer.from(saveWeights(whole.model))),
    ).toBe(true);
    const a = await epochs(straight, "val");
    const b = await epochs(interrupted, "val");
    expect(b.map((r) => r.loss)).toEqual(a.map((r) => r.loss));
    whole.model.dispose();
    resumed.model.dispose();
  });

  it("stops on a non-finite loss with one line, keeping the last good checkpoint", async () => {
    const dataset = await tinyDataset();
    const runDir = tmp();
    const config = { ...tinyTrainConfig, limitTrainBatches: 1, limitValBatches: 1 };
    const { train, val } = memorisation(dataset.sessions[0]?.path as string, config);
    (await fit({ config: { ...config, maxEpochs: 1 }, train, val, runDir })).model.dispose();
    const good = await readFile(runPaths(runDir).last);
    // An absurd learning rate overflows the weights at once, and the next loss with them.
    const exploding = { ...config, maxEpochs: 3, optimizer: { lr: 1e38 } };
    const before = tf.memory().numTensors;
    const error = await fit({ config: exploding, train, val, runDir, resume: true }).catch(
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(DivergedError);
    expect((error as Error).message).toMatch(
      /^(validation )?loss is (NaN|Infinity).* epoch 1.*; the last good checkpoint is .*last\.ckpt\.safetensors$/,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect((await readFile(runPaths(runDir).last)).equals(good)).toBe(true);
  });
});
