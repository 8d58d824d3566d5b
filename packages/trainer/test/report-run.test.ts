import { describe, expect, it } from "vitest";
import type { EpochRecord, EvalRecord, MetricsRecord } from "../src/metrics-record.js";
import { comparisonChart, epochSeries, renderRunReport } from "../src/report/index.js";

const VAL_CER = [80.5, 61.25, 44.875, 47.1, 45.3];

/** A 5-epoch run: 20 steps per epoch, a val phase per epoch, then greedy and beam evals. */
function syntheticRun(
  options: { val?: boolean; evals?: boolean; epochs?: number } = {},
): MetricsRecord[] {
  const records: MetricsRecord[] = [];
  const epochs = options.epochs ?? 5;
  let step = 0;
  let time = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const lr = 1e-3 * 0.5 ** epoch;
    for (let i = 0; i < 20; i++) {
      step++;
      time += 1.5;
      records.push({
        kind: "step",
        epoch,
        step,
        loss: 4 / (1 + step / 20),
        lr,
        windowsPerSecond: 30 + i,
        time,
      });
    }
    const rates = (cer: number) => ({ CER: cer, IER: cer / 4, DER: cer / 4, SER: cer / 2 });
    const epochRecord = (phase: EpochRecord["phase"], cer: number, loss: number): EpochRecord => ({
      kind: "epoch",
      phase,
      epoch,
      step,
      loss,
      lr,
      windowsPerSecond: phase === "train" ? 35 : 120,
      time,
      ...rates(cer),
    });
    records.push(epochRecord("train", 90 - epoch * 15, 4 / (1 + step / 20)));
    if (options.val ?? true)
      records.push(epochRecord("val", VAL_CER[epoch] ?? 50, 3.5 - epoch * 0.4));
  }
  if (options.evals ?? true) {
    const evalRecord = (
      phase: EvalRecord["phase"],
      decoder: EvalRecord["decoder"],
      cer: number,
    ): EvalRecord => ({
      kind: "eval",
      phase,
      decoder,
      loss: 1.234,
      sessions: phase === "val" ? 1 : 2,
      characters: 12345,
      time: time + 30,
      CER: cer,
      IER: 1.5,
      DER: 2.25,
      SER: cer - 3.75,
    });
    // Beam first and a superseded test eval, to check ordering and that the latest wins.
    records.push(evalRecord("test", "greedy", 99), evalRecord("val", "beam", 40.111));
    records.push(evalRecord("val", "greedy", 44.875), evalRecord("test", "greedy", 46.5));
  }
  return records;
}

const info = {
  title: "tds_conv_ctc | single_user",
  runDir: "2026-11-21_10-00-00_tds",
  parameters: 5_312_099,
  config: {
    model: "tds_conv_ctc",
    "optimizer.lr": 1e-3,
    batch_size: 32,
    resumed: false,
    notes: undefined,
  },
};

describe("renderRunReport", () => {
  it("summarises the best val epoch, final evaluation and training time", () => {
    const { markdown } = renderRunReport(syntheticRun(), info);
    expect(markdown.startsWith("# tds_conv_ctc | single_user\n")).toBe(true);
    expect(markdown).toContain("- Best val CER: **44.88 %** at epoch 2\n");
    expect(markdown).toContain("- Run: `2026-11-21_10-00-00_tds`\n");
    expect(markdown).toContain("- Parameters: 5,312,099\n");
    expect(markdown).toContain("- Epochs: 5 (epochs 0–4), 100 steps\n");
    expect(markdown).toContain("- Training time: 2 min 30 s\n");
    expect(markdown).toContain("| optimizer.lr | 0.001        |");
    expect(markdown).not.toContain("notes");
    const evalRows = markdown.split("\n").filter((line) => /^\| (val|test|train) /.test(line));
    expect(evalRows).toEqual([
      "| val   | greedy  | 44.88 | 1.50 | 2.25 | 41.13 | 1.234 |        1 |     12,345 |",
      "| val   | beam    | 40.11 | 1.50 | 2.25 | 36.36 | 1.234 |        1 |     12,345 |",
      "| test  | greedy  | 46.50 | 1.50 | 2.25 | 42.75 | 1.234 |        2 |     12,345 |",
    ]);
    // The best epoch's val CER is bold in the per-epoch table.
    expect(markdown).toMatch(/\|\s+2 \| [^\n]*\*\*44\.88\*\* \|/);
  });

  it("links one figure per curve and renders them", () => {
    const { markdown, figures } = renderRunReport(syntheticRun(), info);
    expect(Object.keys(figures)).toEqual(["loss.svg", "cer.svg", "lr.svg", "throughput.svg"]);
    for (const name of ["loss", "cer", "lr", "throughput"]) {
      expect(markdown).toContain(`![${name}](figures/${name}.svg)`);
    }
    expect(renderRunReport(syntheticRun(), { ...info, figuresDir: "plots" }).markdown).toContain(
      "![cer](plots/cer.svg)",
    );
    expect(figures["cer.svg"]).toContain(">val</text>");
    expect(figures["loss.svg"]).toContain(">train (step)</text>");
    expect(figures["lr.svg"]).toContain(">1e-4</text>");
  });

  it("averages a long step loss curve down", () => {
    const { figures } = renderRunReport(syntheticRun(), { ...info, maxStepPoints: 10 });
    expect(figures["loss.svg"]).toContain(">train (step, binned mean)</text>");
  });

  it("is deterministic", () => {
    expect(renderRunReport(syntheticRun(), info)).toEqual(renderRunReport(syntheticRun(), info));
  });

  it("handles a run without val phase or evaluation", () => {
    const { markdown, figures } = renderRunReport(syntheticRun({ val: false, evals: false }), info);
    expect(markdown).toContain("- Best val CER: no validation epochs recorded\n");
    expect(markdown).not.toContain("## Final evaluation");
    expect(markdown).not.toContain("Val CER");
    expect(figures["cer.svg"]).not.toContain(">val</text>");
    expect(Object.keys(figures)).toHaveLength(4);
  });

  it("handles a single epoch", () => {
    const { markdown, figures } = renderRunReport(syntheticRun({ epochs: 1 }), info);
    expect(markdown).toContain("- Epochs: 1 (epoch 0), 20 steps\n");
    expect(markdown).toContain("- Best val CER: **80.50 %** at epoch 0\n");
    expect(figures["cer.svg"]).not.toContain("no data");
    expect(figures["cer.svg"]).toContain("<circle ");
  });

  it("handles no records, only evaluations, and NaN metrics", () => {
    const empty = renderRunReport([], { title: "empty" });
    expect(empty.markdown).toBe("# empty\n\n## Summary\n\n- No metrics recorded.\n");
    expect(empty.figures).toEqual({});

    const evalOnly = renderRunReport(
      syntheticRun().filter((r) => r.kind === "eval"),
      { title: "eval only" },
    );
    expect(evalOnly.markdown).toContain("## Final evaluation");
    expect(evalOnly.markdown).not.toContain("## Curves");
    expect(evalOnly.figures).toEqual({});

    const nan = syntheticRun().map((r) =>
      r.kind === "epoch" && r.phase === "val" ? { ...r, CER: Number.NaN } : r,
    );
    const report = renderRunReport(nan, info);
    expect(report.markdown).not.toContain("Best val CER:");
    expect(report.markdown).not.toMatch(/NaN/);
    expect(report.figures["cer.svg"]).not.toMatch(/NaN/);
  });

  it("keeps the later record of an epoch repeated by a resume", () => {
    const records = syntheticRun();
    records.push({
      ...(records.find(
        (r) => r.kind === "epoch" && r.phase === "val" && r.epoch === 3,
      ) as EpochRecord),
      CER: 30,
    });
    expect(renderRunReport(records, info).markdown).toContain(
      "- Best val CER: **30.00 %** at epoch 3\n",
    );
    expect(epochSeries(records, "val", "CER").map((p) => p[0])).toEqual([0, 1, 2, 3, 4]);
  });
});

describe("comparisonChart", () => {
  const runs = [
    { name: "lstm", records: syntheticRun() },
    { name: "tds", records: syntheticRun({ epochs: 3 }) },
  ];

  it("plots val CER of several runs against epoch", () => {
    const svg = comparisonChart(runs);
    expect(svg).toContain("<title>val CER by epoch</title>");
    expect(svg).toContain(">lstm</text>");
    expect(svg).toContain(">tds</text>");
    expect(svg).toContain(">CER (%)</text>");
    expect(svg.split('<g class="legend">')[0]?.match(/<path /g)).toHaveLength(2);
  });

  it("plots against wall time in a fitting unit", () => {
    expect(comparisonChart(runs, { x: "time" })).toContain(">wall time (min)</text>");
    const short = [{ name: "short", records: syntheticRun({ epochs: 1 }) }];
    expect(comparisonChart(short, { x: "time" })).toContain(">wall time (s)</text>");
    expect(
      comparisonChart(runs, { x: "time", metric: "loss", phase: "train", title: "t" }),
    ).toContain("<title>t</title>");
  });

  it("says no data for runs without val epochs", () => {
    expect(comparisonChart([{ name: "a", records: syntheticRun({ val: false }) }])).toContain(
      ">no data</text>",
    );
    expect(comparisonChart([])).toContain(">no data</text>");
  });
});
