import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  constantSchedule,
  createLrSchedule,
  lrAtEpoch,
  lrAtEpochClosedForm,
  type WarmupCosineOptions,
  warmupCosineSchedule,
} from "../src/optim/lr-schedule.js";

interface ScheduleCase {
  name: string;
  options: Required<WarmupCosineOptions>;
  recursive: number[];
  closedForm: number[];
}
const golden = JSON.parse(
  readFileSync(new URL("./golden/optim-lr-schedule.json", import.meta.url), "utf8"),
) as { torch: string; cases: ScheduleCase[] };

const emg2qwerty: WarmupCosineOptions = {
  baseLr: 1e-3,
  warmupEpochs: 10,
  maxEpochs: 150,
  warmupStartLr: 1e-8,
  etaMin: 1e-6,
};

/** |a - b| <= 1e-12 |b| (+ 1e-18 for values that are exactly 0 on one side). */
function expectAgree(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-12 * Math.abs(expected) + 1e-18,
  );
}

describe("LinearWarmupCosineAnnealingLR (pl_bolts semantics, stepped per epoch)", () => {
  for (const c of golden.cases) {
    it(`${c.name}: equals the recursion run through torch ${golden.torch}'s scheduler and the closed form`, () => {
      const schedule = warmupCosineSchedule(c.options);
      c.recursive.forEach((expected, epoch) => {
        expectAgree(lrAtEpoch(epoch, c.options), expected, `recursive epoch ${epoch}`);
        expectAgree(schedule.lrAt(epoch), expected, `cached epoch ${epoch}`);
        expectAgree(
          lrAtEpochClosedForm(epoch, c.options),
          c.closedForm[epoch] as number,
          `closed form epoch ${epoch}`,
        );
        expectAgree(
          lrAtEpoch(epoch, c.options),
          c.closedForm[epoch] as number,
          `vs closed ${epoch}`,
        );
      });
    });
  }

  it("emg2qwerty's fixed points", () => {
    const lr = (epoch: number) => lrAtEpoch(epoch, emg2qwerty);
    expect(lr(0)).toBe(1e-8);
    // Warm-up adds (1e-3 - 1e-8) / 9 per epoch: baseLr at epoch 9 already, and at 10.
    expectAgree(lr(1), 1e-8 + (1e-3 - 1e-8) / 9, "epoch 1");
    expectAgree(lr(9), 1e-3, "epoch 9");
    expect(lr(10)).toBe(1e-3);
    // Halfway through the cosine: (base + eta) / 2.
    expectAgree(lr(80), (1e-3 + 1e-6) / 2, "epoch 80");
    // 1 + cos(pi) is exactly 0, so epoch 150 lands on eta_min exactly.
    expect(lr(150)).toBe(1e-6);
    // Past max_epochs the cosine rises again (epoch 151 is the special-cased step).
    expectAgree(lr(151), 1e-6 + ((1e-3 - 1e-6) * (1 - Math.cos(Math.PI / 140))) / 2, "epoch 151");
    expect(lr(152)).toBeGreaterThan(lr(151));
    for (let e = 11; e <= 150; e++) expect(lr(e)).toBeLessThan(lr(e - 1));
  });

  it("warmupEpochs 0 and 1: the recursion's own behaviour, not the closed form's", () => {
    const zero = { ...emg2qwerty, warmupEpochs: 0 };
    expect(lrAtEpoch(0, zero)).toBe(1e-8);
    // The cosine then scales (1e-8 - eta_min) and never reaches baseLr.
    expect(lrAtEpoch(1, zero)).toBeLessThan(1e-6);
    expect(lrAtEpochClosedForm(0, zero)).toBe(1e-3);
    const one = { ...emg2qwerty, warmupEpochs: 1 };
    expect(lrAtEpoch(0, one)).toBe(1e-8);
    expect(lrAtEpoch(1, one)).toBe(1e-3);
    expect(lrAtEpochClosedForm(0, one)).toBeNaN();
  });

  it("rejects bad options and epochs in one line", () => {
    expect(() => lrAtEpoch(-1, emg2qwerty)).toThrow("epoch must be an integer >= 0, got -1");
    expect(() => lrAtEpoch(1.5, emg2qwerty)).toThrow("epoch must be an integer");
    expect(() => lrAtEpoch(0, { ...emg2qwerty, maxEpochs: 10 })).toThrow(
      "maxEpochs must be an integer > warmupEpochs (10), got 10",
    );
    expect(() => warmupCosineSchedule({ ...emg2qwerty, warmupEpochs: 2.5 })).toThrow(
      "warmupEpochs must be an integer",
    );
    expect(() => warmupCosineSchedule({ ...emg2qwerty, baseLr: -1 })).toThrow(
      "baseLr must be a finite number >= 0",
    );
  });
});

describe("createLrSchedule", () => {
  const yaml = {
    scheduler: {
      _target_: "pl_bolts.optimizers.lr_scheduler.LinearWarmupCosineAnnealingLR",
      warmup_epochs: 10,
      max_epochs: 150,
      warmup_start_lr: "1e-8",
      eta_min: 1e-6,
    },
    interval: "epoch",
  };

  it("reads emg2qwerty's linear_warmup_cosine_annealing.yaml (whole or scheduler part)", () => {
    for (const config of [yaml, yaml.scheduler]) {
      const schedule = createLrSchedule(config, 1e-3);
      expect(schedule.kind).toBe("linear_warmup_cosine_annealing");
      // Out of order on purpose: the cache must fill in between.
      for (const epoch of [150, 0, 37, 10, 200])
        expect(schedule.lrAt(epoch)).toBe(lrAtEpoch(epoch, emg2qwerty));
    }
  });

  it("defaults warmup_start_lr and eta_min to 0 as pl_bolts does", () => {
    const schedule = createLrSchedule({ warmup_epochs: 2, max_epochs: 4 }, 0.1);
    expect([0, 1, 2, 3, 4].map((e) => schedule.lrAt(e))).toEqual([
      0,
      0.1,
      0.1,
      lrAtEpoch(3, { baseLr: 0.1, warmupEpochs: 2, maxEpochs: 4 }),
      0,
    ]);
  });

  it("constant", () => {
    const schedule = createLrSchedule({ kind: "constant" }, 3e-4);
    expect(schedule.kind).toBe("constant");
    expect([0, 5, 500].map((e) => schedule.lrAt(e))).toEqual([3e-4, 3e-4, 3e-4]);
    expect(constantSchedule(1).lrAt(9)).toBe(1);
    expect(() => constantSchedule(Number.NaN)).toThrow("lr must be");
  });

  it("rejects what it cannot run, in one line", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Hydra interpolation left unresolved, on purpose
    const unresolved = "${trainer.max_epochs}";
    expect(() => createLrSchedule({ ...yaml, interval: "step" }, 1e-3)).toThrow(
      'interval "step" is not supported',
    );
    expect(() =>
      createLrSchedule(
        { scheduler: { ...yaml.scheduler, _target_: "torch.optim.lr_scheduler.StepLR" } },
        1e-3,
      ),
    ).toThrow("scheduler torch.optim.lr_scheduler.StepLR is not supported");
    expect(() => createLrSchedule({ ...yaml.scheduler, max_epochs: unresolved }, 1e-3)).toThrow(
      `max_epochs must be a number, got "${unresolved}"`,
    );
    expect(() => createLrSchedule({ kind: "cosine" } as never, 1e-3)).toThrow(
      'unknown kind "cosine"',
    );
  });
});
