import type { MetricsRecord } from "@emgkit/trainer";
import { describe, expect, it } from "vitest";
import { comparedCurves, runCurves } from "../src/runs/run-series.js";
import { COMPARISON_COLUMNS, comparisonTable, runReportTables } from "../src/runs/run-tables.js";

const rates = { CER: 0, IER: 0, DER: 0, SER: 0 };

/** A run of `epochs` epochs of `stepsPerEpoch` steps; loss and CER fall, lr decays. */
function fakeRun(epochs: number, stepsPerEpoch: number, withVal = true): MetricsRecord[] {
  const records: MetricsRecord[] = [];
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let k = 0; k < stepsPerEpoch; k++) {
      step++;
      const lr = 1e-3 / (1 + step);
      records.push({
        kind: "step",
        epoch,
        step,
        loss: 100 / step,
        lr,
        windowsPerSecond: 10,
        time: step,
      });
    }
    const base = { epoch, step, lr: 1e-3 / (1 + step), windowsPerSecond: 10, time: step };
    records.push({
      kind: "epoch",
      phase: "train",
      ...base,
      ...rates,
      loss: 50 / (epoch + 1),
      CER: 90 - epoch,
    });
    if (withVal) {
      records.push({
        kind: "epoch",
        phase: "val",
        ...base,
        ...rates,
        loss: 60 / (epoch + 1),
        CER: 95 - 2 * epoch,
      });
    }
  }
  return records;
}

describe("runCurves", () => {
  it("extracts loss per step and per epoch, CER by epoch and lr per step", () => {
    const records = fakeRun(3, 4);
    const sets = runCurves(records);
    expect(sets.map((s) => s.id)).toEqual(["loss", "cer", "lr"]);
    const [loss, cer, lr] = sets;
    expect(loss?.series.map((s) => s.name)).toEqual([
      "train (step)",
      "train (epoch)",
      "val (epoch)",
    ]);
    expect(loss?.series[0]?.points).toHaveLength(12);
    expect(loss?.series[0]?.points[1]).toEqual([2, 50]);
    // Epoch losses sit at the step their epoch ended.
    expect(loss?.series[1]?.points).toEqual([
      [4, 50],
      [8, 25],
      [12, 50 / 3],
    ]);
    expect(loss?.logY).toBe(true);
    expect(cer?.series.map((s) => [s.name, s.points])).toEqual([
      [
        "train",
        [
          [0, 90],
          [1, 89],
          [2, 88],
        ],
      ],
      [
        "val",
        [
          [0, 95],
          [1, 93],
          [2, 91],
        ],
      ],
    ]);
    expect(lr?.xLabel).toBe("step");
    expect(lr?.series[0]?.points[0]).toEqual([1, 1e-3 / 2]);
  });

  it("bins long per-step series and names them so", () => {
    const sets = runCurves(fakeRun(1, 5000), 500);
    const step = sets[0]?.series[0];
    expect(step?.name).toBe("train (step, binned mean)");
    expect(step?.points.length).toBeLessThanOrEqual(500);
  });

  it("leaves out what was not recorded: no val, no steps, nothing", () => {
    const epochsOnly = fakeRun(2, 1, false).filter((r) => r.kind !== "step");
    const sets = runCurves(epochsOnly);
    expect(sets.map((s) => s.id)).toEqual(["loss", "cer", "lr"]);
    expect(sets[0]?.series.map((s) => s.name)).toEqual(["train (epoch)"]);
    expect(sets[2]?.xLabel).toBe("epoch");
    expect(runCurves([])).toEqual([]);
  });

  it("skips non-positive losses on the log axis but keeps the set", () => {
    const records = fakeRun(1, 2).map((r) =>
      r.kind === "step" && r.step === 1 ? { ...r, loss: Number.NaN } : r,
    );
    expect(runCurves(records)[0]?.series[0]?.points).toHaveLength(2);
  });
});

describe("comparedCurves", () => {
  it("overlays one series per run, train's epochs for a run without val", () => {
    const sets = comparedCurves([
      { name: "a", records: fakeRun(2, 2) },
      { name: "b", records: fakeRun(3, 2, false) },
    ]);
    expect(sets.map((s) => s.id)).toEqual([
      "compare-cer",
      "compare-val-loss",
      "compare-step-loss",
      "compare-lr",
      "compare-cer-time",
    ]);
    const cer = sets[0];
    expect(cer?.series.map((s) => s.name)).toEqual(["a", "b (train)"]);
    expect(cer?.series[0]?.points).toEqual([
      [0, 95],
      [1, 93],
    ]);
    expect(cer?.series[1]?.points).toHaveLength(3);
    expect(sets[2]?.series[1]?.points).toHaveLength(6);
    // Wall time is each epoch record's time.
    expect(sets[4]?.series[0]?.points).toEqual([
      [2, 95],
      [4, 93],
    ]);
  });

  it("keeps an empty run's series so colours match across charts", () => {
    const sets = comparedCurves([
      { name: "empty", records: [] },
      { name: "a", records: fakeRun(1, 2) },
    ]);
    expect(sets[0]?.series.map((s) => s.name)).toEqual(["empty (train)", "a"]);
    expect(comparedCurves([{ name: "x", records: [] }])).toEqual([]);
  });
});

describe("run tables", () => {
  it("compares runs: epochs, steps, best val CER and test CER per decoder", () => {
    const a = fakeRun(3, 2);
    a.push({
      kind: "eval",
      phase: "test",
      decoder: "greedy",
      loss: 1,
      sessions: 1,
      characters: 10,
      time: 9,
      ...rates,
      CER: 40,
    });
    a.push({
      kind: "eval",
      phase: "test",
      decoder: "beam",
      loss: 1,
      sessions: 1,
      characters: 10,
      time: 9,
      ...rates,
      CER: 30,
    });
    const table = comparisonTable([
      { name: "a", records: a },
      { name: "b", records: fakeRun(1, 2, false) },
    ]);
    const lines = table.trim().split("\n");
    expect(lines[0]?.split("|").map((c) => c.trim())).toEqual([
      "",
      ...COMPARISON_COLUMNS,
      "Test CER (greedy)",
      "Test CER (beam)",
      "",
    ]);
    expect(lines[2]?.split("|").map((c) => c.trim())).toEqual([
      "",
      "a",
      "3",
      "6",
      "9.0 s",
      "91.00",
      "2",
      "20",
      "40.00",
      "30.00",
      "",
    ]);
    expect(lines[3]?.split("|").map((c) => c.trim())).toEqual([
      "",
      "b",
      "1",
      "2",
      "2.0 s",
      "–",
      "–",
      "–",
      "–",
      "–",
      "",
    ]);
  });

  it("renders a run's report tables without its curves section", () => {
    const md = runReportTables({ name: "tiny", path: "runs/tiny", records: fakeRun(2, 2) });
    expect(md).toMatch(/^# tiny\n/);
    expect(md).toContain("## Epochs");
    expect(md).not.toContain("## Curves");
    expect(md).not.toContain("figures/");
  });
});
