import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { applyOverrides, type ConfigTree, resolveConfig } from "../src/config.js";
import { budgetLimits, dataBudget, trainConfigFrom } from "../src/run-setup.js";

describe("resolveConfig", () => {
  it("composes base.yaml with its default groups, as emg2qwerty's Hydra config", () => {
    const config = resolveConfig([]);
    expect(config.seed).toBe(1501);
    expect((config.model as ConfigTree).kind).toBe("tds");
    expect((config.optimizer as ConfigTree).lr).toBe(1e-3);
    expect((config.lr_scheduler as ConfigTree).warmup_epochs).toBe(10);
    expect((config.decoder as ConfigTree).kind).toBe("greedy");
    const train = trainConfigFrom(config);
    expect(train.data).toMatchObject({ windowLength: 8000, padding: [1800, 200], batchSize: 32 });
    expect(train.data.trainTransforms.specAugment).toEqual({
      nTimeMasks: 3,
      timeMaskParam: 25,
      nFreqMasks: 2,
      freqMaskParam: 4,
    });
    expect(train.maxEpochs).toBe(150);
  });

  it("applies group choices, dotted overrides and presets", () => {
    const config = resolveConfig([
      "model=lstm",
      "optimizer.lr=3e-3",
      "data.padding=[10, 20]",
      "model.config.hiddenSize=64",
    ]);
    expect(config.model).toEqual({ kind: "lstm", config: { hiddenSize: 64 } });
    expect((config.optimizer as ConfigTree).lr).toBe(3e-3);
    expect((config.data as ConfigTree).padding).toEqual([10, 20]);
    const demo = resolveConfig(["trainer.max_time_seconds=60"], "demo");
    expect((demo.data as ConfigTree).window_length).toBe(2000);
    expect((demo.trainer as ConfigTree).max_time_seconds).toBe(60);
    expect(((demo.transforms as ConfigTree).train as ConfigTree).specAugment).toBeUndefined();
  });

  it("overrides a saved config without touching the original", () => {
    const saved = resolveConfig([]);
    const beam = applyOverrides(saved, ["decoder=ctc_beam", "decoder.lm_weight=1.5"]);
    expect(beam.decoder).toMatchObject({
      kind: "beam",
      beam_size: 50,
      lm: "default",
      lm_weight: 1.5,
    });
    expect((saved.decoder as ConfigTree).kind).toBe("greedy");
  });

  it("rejects bad numbers in the config with the key's name", () => {
    expect(() => trainConfigFrom(resolveConfig(["data.batch_size=0"]))).toThrow(
      "data.batch_size must be a whole number > 0, got 0",
    );
  });
});

describe("budgetLimits", () => {
  it("keeps the first minutes of each user's sessions in split order", async () => {
    const sessions: Record<string, { user: string; length: number }> = {
      a: { user: "u1", length: 100_000 },
      b: { user: "u1", length: 100_000 },
      c: { user: "u2", length: 50_000 },
      d: { user: "u1", length: 100_000 },
    };
    // 1.5 minutes = 180 000 samples per user at 2 kHz.
    const limits = await budgetLimits(
      ["a", "b", "c", "d"],
      { minutes: 1.5, fraction: null },
      async (p) => sessions[p] as { user: string; length: number },
    );
    expect(limits).toEqual([100_000, 80_000, 50_000, 0]);
    expect(
      await budgetLimits(
        ["a"],
        { minutes: null, fraction: null },
        async () => sessions.a as { user: string; length: number },
      ),
    ).toBeUndefined();
  });

  it("keeps the first fraction of each user's samples", async () => {
    const sessions: Record<string, { user: string; length: number }> = {
      a: { user: "u1", length: 100_000 },
      b: { user: "u2", length: 40_000 },
      c: { user: "u1", length: 60_000 },
    };
    // u1 has 160 000 samples: a quarter is 40 000, all from its first session.
    const limits = await budgetLimits(
      ["a", "b", "c"],
      { minutes: null, fraction: 0.25 },
      async (p) => sessions[p] as { user: string; length: number },
    );
    expect(limits).toEqual([40_000, 10_000, 0]);
  });

  it("rejects a budget in minutes and a fraction at once, and fractions outside (0, 1]", () => {
    const config = resolveConfig(["budget_minutes=2", "budget_fraction=0.5"]);
    expect(() => dataBudget(config)).toThrow(/not both/);
    expect(() => dataBudget(resolveConfig(["budget_fraction=1.5"]))).toThrow(/\(0, 1\]/);
    expect(dataBudget(resolveConfig(["budget_fraction=0.5"]))).toEqual({
      minutes: null,
      fraction: 0.5,
    });
  });
});

describe("trainer.workers", () => {
  it("is 1 by default, a whole number, or auto for every core", () => {
    expect(trainConfigFrom(resolveConfig([])).workers).toBe(1);
    expect(trainConfigFrom(resolveConfig(["trainer.workers=2"])).workers).toBe(2);
    expect(trainConfigFrom(resolveConfig(["trainer.workers=auto"])).workers).toBe(
      availableParallelism(),
    );
    expect(() => trainConfigFrom(resolveConfig(["trainer.workers=0"]))).toThrow(
      /trainer\.workers must be a whole number >= 1 or auto, got 0/,
    );
  });
});
