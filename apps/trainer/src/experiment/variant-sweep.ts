import {
  comparisonChart,
  formatCount,
  formatDuration,
  formatErrorRate,
  formatNumber,
  lineChart,
  markdownTable,
} from "@emgkit/trainer/node";
import { applyOverrides, type ConfigTree, groupConfig } from "../config.js";
import { CliError } from "../errors.js";
import { trainConfigFrom } from "../run-setup.js";
import type { ExperimentKind, ExperimentReport } from "./kind.js";
import {
  comparedRuns,
  evaluationOf,
  type RunEvaluation,
  reportHeader,
  unfinishedLines,
} from "./report-parts.js";
import type { SweepRun } from "./sweep.js";
import type { Evaluation, TrainParams } from "./tasks.js";

/** One run of a one-factor sweep: overrides laid over the command's config. */
export interface Variant {
  /** Run name (folder). */
  name: string;
  /** The swept value as the table shows it. */
  label: string;
  /** The swept value on the plot's x axis (sweeps over a number). */
  x?: number;
  overrides: string[];
}

/** A one-factor experiment: same split and budget, one setting varied. */
export interface VariantSweepSpec {
  name: string;
  summary: string;
  details: string;
  /** Column title of the swept setting, and the x axis label of the test-CER plot. */
  factor: string;
  /** Plot test CER against `x` on a log2 axis (electrodes, rates, fractions). */
  log2X?: boolean;
  variants(base: ConfigTree): Variant[];
}

/** Val and test with the greedy decoder; test with beam search + LM too when `lm`. */
export function standardEvaluations(lm: boolean): Evaluation[] {
  const greedy = groupConfig("decoder", "ctc_greedy");
  const evaluations: Evaluation[] = [
    { phase: "val", decoder: greedy },
    { phase: "test", decoder: greedy },
  ];
  if (lm) evaluations.push({ phase: "test", decoder: groupConfig("decoder", "ctc_beam") });
  return evaluations;
}

/** Keeps the runs named in `--only` (all when absent); unknown names are a usage error. */
export function selectRuns<T extends { name: string }>(all: T[], only: unknown): T[] {
  if (only === undefined || only === null) return all;
  const wanted = String(only)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const unknown = wanted.filter((name) => !all.some((v) => v.name === name));
  if (unknown.length > 0) {
    throw new CliError(
      `--only: unknown run ${unknown.join(", ")}; known: ${all.map((v) => v.name).join(", ")}`,
      2,
    );
  }
  return all.filter((v) => wanted.includes(v.name));
}

/** The config of a run, checked now so a bad override fails before anything trains. */
export function runConfig(base: ConfigTree, overrides: readonly string[]): ConfigTree {
  const config = applyOverrides(base, overrides);
  trainConfigFrom(config);
  return config;
}

const METRICS = ["CER", "IER", "DER", "SER"] as const;

/** An experiment kind that trains one run per variant and compares them in one table. */
export function variantSweep(spec: VariantSweepSpec): ExperimentKind {
  return {
    name: spec.name,
    summary: spec.summary,
    details: spec.details,
    examples: [
      "--config demo dataset_root=sim-data user=sim-data/splits/user0.yaml trainer.max_time_seconds=120",
      "dataset_root=data user=single_user trainer.max_epochs=40 --workers auto --lm",
      "dataset_root=data user=single_user --emit slurm --partition cpu",
    ],
    addOptions(command) {
      command
        .option("--only <runs>", "run only these variants, comma-separated names")
        .option("--lm", "also test with beam search + the character LM (slower)");
    },
    async plan(base, options) {
      const variants = selectRuns(spec.variants(base), options.only);
      const lm = options.lm === true;
      const runs: SweepRun[] = variants.map((variant) => {
        const params: TrainParams = {
          config: runConfig(base, variant.overrides),
          evaluations: standardEvaluations(lm),
        };
        return { name: variant.name, stage: 0, task: "train", params: { ...params } };
      });
      const labels = variants.map(({ name, label, x }) => ({ name, label, x }));
      return { runs, options: { lm, variants: labels, base } };
    },
    async report(sweep, results, dir): Promise<ExperimentReport> {
      const variants = sweep.options.variants as Array<{ name: string; label: string; x?: number }>;
      const lm = sweep.options.lm === true;
      const rows: Array<Record<string, unknown>> = [];
      const cells: string[][] = [];
      for (const variant of variants) {
        const result = results.get(variant.name);
        const val = evaluationOf(result, "val", "greedy");
        const test = evaluationOf(result, "test", "greedy");
        const beam = evaluationOf(result, "test", "beam");
        const row: Record<string, unknown> = {
          run: variant.name,
          [spec.factor]: variant.label,
          parameters: result?.parameters,
          epochs: result?.epochs,
          trainSeconds: result?.trainSeconds,
          bestEpoch: result?.bestEpoch,
          val: pick(val),
          test: pick(test),
          ...(lm ? { testBeamLm: pick(beam) } : {}),
          inferenceRealTimeFactor: test?.realTimeFactor,
        };
        rows.push(row);
        cells.push([
          variant.label,
          formatCount(result?.parameters as number | undefined),
          result === undefined ? "not run" : String(result.epochs),
          formatDuration(result?.trainSeconds as number | undefined),
          ...METRICS.map((m) => formatErrorRate(val?.[m])),
          ...METRICS.map((m) => formatErrorRate(test?.[m])),
          ...(lm ? [formatErrorRate(beam?.CER)] : []),
          test?.realTimeFactor === undefined ? "–" : `${formatNumber(test.realTimeFactor, 3)}x`,
        ]);
      }
      const headers = [
        spec.factor,
        "params",
        "epochs",
        "train time",
        ...METRICS.map((m) => `val ${m}`),
        ...METRICS.map((m) => `test ${m}`),
        ...(lm ? ["test CER (beam + LM)"] : []),
        "inference (x real time)",
      ];
      const compared = await comparedRuns(dir, variants);
      const figures: Record<string, string> = {
        "val-cer-by-epoch.svg": comparisonChart(compared, { x: "epoch" }),
        "val-cer-by-time.svg": comparisonChart(compared, { x: "time" }),
      };
      const numeric = variants.filter((v) => v.x !== undefined);
      if (numeric.length > 0) {
        const points = (phase: "val" | "test") =>
          numeric.map((v) => {
            const e = evaluationOf(results.get(v.name), phase, "greedy");
            const x = v.x as number;
            return [spec.log2X ? Math.log2(x) : x, e?.CER ?? Number.NaN] as [number, number];
          });
        figures["cer-by-factor.svg"] = lineChart({
          title: `CER by ${spec.factor}`,
          xLabel: spec.log2X ? `log2 ${spec.factor}` : spec.factor,
          yLabel: "CER (%)",
          series: [
            { name: "val (greedy)", points: points("val") },
            { name: "test (greedy)", points: points("test") },
          ],
        });
      }
      const table = markdownTable(headers, cells);
      const markdown = [
        ...reportHeader(sweep, spec.details, sweep.options.base as ConfigTree | undefined),
        "Error rates in % (greedy decoding unless marked); inference speed is the test set's EMG duration over the time to evaluate it.",
        "",
        table,
        "",
        ...Object.keys(figures).map((file) => `![${file.slice(0, -4)}](figures/${file})`),
        "",
        `Runs: ${variants.map((v) => `[${v.name}](runs/${v.name}/report.md)`).join(", ")}`,
        ...unfinishedLines(sweep, results),
        "",
      ].join("\n");
      return { markdown, figures, table, rows };
    },
  };
}

function pick(e: RunEvaluation | undefined): Record<string, number> | undefined {
  if (e === undefined) return undefined;
  return { loss: e.loss, CER: e.CER, IER: e.IER, DER: e.DER, SER: e.SER };
}
