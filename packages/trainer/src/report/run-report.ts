import type { MetricsRecord } from "../metrics-record.js";
import { meanBins, type Point } from "./downsample.js";
import { markdownTable } from "./markdown-table.js";
import {
  bestEpoch,
  epochRecords,
  epochSeries,
  evalRecords,
  stepRecords,
  stepSeries,
} from "./metric-series.js";
import { formatCount, formatDuration, formatErrorRate, formatNumber } from "./number-format.js";
import { type LineSeries, lineChart } from "./svg-line-plot.js";

/** What the metrics do not say about a run, for the report's header. */
export interface RunReportInfo {
  /** The report's heading, e.g. "tds_conv_ctc on single_user". */
  title: string;
  /** The run directory's name, shown so a copied report still says where it came from. */
  runDir?: string;
  /** Trainable parameter count of the model. */
  parameters?: number;
  /** A few configuration key/values worth seeing at a glance (model, lr, batch size...). */
  config?: Readonly<Record<string, string | number | boolean | null | undefined>>;
  /** Folder of the figures relative to the markdown file (default "figures"). */
  figuresDir?: string;
  /** The per-step loss curve is averaged down to at most this many points (default 1000). */
  maxStepPoints?: number;
}

/** A rendered report: `report.md` text and SVG figures by file name (`loss.svg`...). */
export interface RunReport {
  markdown: string;
  figures: Record<string, string>;
}

/**
 * Renders a run's `metrics.jsonl` records as a Markdown report with SVG figures: a summary
 * (best val CER and its epoch, training time), the configuration, the final evaluation
 * (phase x decoder), per-epoch numbers and curves of loss, CER, learning rate and
 * throughput. Parts without data (no val phase, no evaluation, no steps) are left out or
 * said to be missing, never drawn empty.
 */
export function renderRunReport(records: readonly MetricsRecord[], info: RunReportInfo): RunReport {
  const figuresDir = info.figuresDir ?? "figures";
  const train = epochRecords(records, "train");
  const val = epochRecords(records, "val");
  const steps = stepRecords(records);
  const evals = evalRecords(records);
  const best = bestEpoch(records, "val", "CER");

  const md: string[] = [`# ${info.title}`, "", "## Summary", ""];
  const summary: string[] = [];
  if (info.runDir !== undefined) summary.push(`Run: \`${info.runDir}\``);
  if (info.parameters !== undefined) summary.push(`Parameters: ${formatCount(info.parameters)}`);
  const epochNumbers = [...new Set([...train, ...val].map((r) => r.epoch))].sort((a, b) => a - b);
  if (epochNumbers.length > 0) {
    const range =
      epochNumbers.length === 1
        ? `epoch ${epochNumbers[0]}`
        : `epochs ${epochNumbers[0]}–${epochNumbers.at(-1)}`;
    const lastStep = Math.max(...[...train, ...val].map((r) => r.step), steps.at(-1)?.step ?? 0);
    summary.push(`Epochs: ${epochNumbers.length} (${range}), ${formatCount(lastStep)} steps`);
  } else if (steps.length > 0) {
    summary.push(`Epochs: none completed, ${formatCount(steps.length)} steps`);
  }
  const trainingTime = lastTime([...steps, ...train, ...val]);
  if (trainingTime !== undefined) summary.push(`Training time: ${formatDuration(trainingTime)}`);
  if (best !== undefined) {
    summary.push(`Best val CER: **${formatErrorRate(best.CER)} %** at epoch ${best.epoch}`);
  } else if (val.length === 0 && train.length > 0) {
    summary.push("Best val CER: no validation epochs recorded");
  }
  const lastTrain = train.at(-1);
  if (lastTrain !== undefined) {
    summary.push(
      `Last train epoch (${lastTrain.epoch}): loss ${formatNumber(lastTrain.loss)}, CER ${formatErrorRate(lastTrain.CER)} %`,
    );
  }
  if (records.length === 0) summary.push("No metrics recorded.");
  md.push(...summary.map((line) => `- ${line}`), "");

  const config = Object.entries(info.config ?? {}).filter(([, v]) => v !== undefined);
  if (config.length > 0) {
    md.push("## Configuration", "");
    md.push(
      markdownTable(
        ["Key", "Value"],
        config.map(([k, v]) => [k, String(v)]),
        { align: ["left", "left"] },
      ),
    );
    md.push("");
  }

  if (evals.length > 0) {
    md.push("## Final evaluation", "", "Error rates in percent.", "");
    md.push(
      markdownTable(
        ["Phase", "Decoder", "CER", "IER", "DER", "SER", "Loss", "Sessions", "Characters"],
        evals.map((r) => [
          r.phase,
          r.decoder,
          formatErrorRate(r.CER),
          formatErrorRate(r.IER),
          formatErrorRate(r.DER),
          formatErrorRate(r.SER),
          formatNumber(r.loss),
          formatCount(r.sessions),
          formatCount(r.characters),
        ]),
      ),
      "",
    );
  }

  if (epochNumbers.length > 0) {
    md.push("## Epochs", "");
    const trainBy = new Map(train.map((r) => [r.epoch, r]));
    const valBy = new Map(val.map((r) => [r.epoch, r]));
    const hasVal = val.length > 0;
    const headers = ["Epoch", "Train loss", "Train CER"];
    if (hasVal) headers.push("Val loss", "Val CER");
    headers.push("LR", "Windows/s", "Time");
    md.push(
      markdownTable(
        headers,
        epochNumbers.map((epoch) => {
          const t = trainBy.get(epoch);
          const v = valBy.get(epoch);
          const row = [String(epoch), formatNumber(t?.loss), formatErrorRate(t?.CER)];
          if (hasVal) {
            const cer = formatErrorRate(v?.CER);
            // Bold marks the best epoch; a Markdown renderer then aligns it like the rest.
            row.push(formatNumber(v?.loss), v !== undefined && v === best ? `**${cer}**` : cer);
          }
          row.push(
            formatNumber((t ?? v)?.lr),
            formatNumber(t?.windowsPerSecond, 3),
            formatDuration(Math.max(t?.time ?? 0, v?.time ?? 0)),
          );
          return row;
        }),
        // Epochs and durations read as numbers; the other columns align themselves.
        { align: headers.map((h) => (h === "Epoch" || h === "Time" ? "right" : undefined)) },
      ),
      "",
    );
  }

  const figures = renderFigures(records, info.maxStepPoints ?? 1000);
  const names = Object.keys(figures);
  if (names.length > 0) {
    md.push("## Curves", "");
    for (const file of names) {
      md.push(`![${file.replace(/\.svg$/, "")}](${figuresDir}/${file})`, "");
    }
  }
  return { markdown: `${md.join("\n").trimEnd()}\n`, figures };
}

/** The report's SVG figures; a figure with nothing to draw is left out. */
function renderFigures(
  records: readonly MetricsRecord[],
  maxStepPoints: number,
): Record<string, string> {
  const figures: Record<string, string> = {};
  const add = (
    file: string,
    chart: { title: string; xLabel: string; yLabel: string; logY?: boolean; xInteger?: boolean },
    series: LineSeries[],
  ) => {
    const kept = series.filter((s) => s.points.some((p) => isDrawable(p, chart.logY ?? false)));
    if (kept.length > 0) figures[file] = lineChart({ ...chart, series: kept });
  };
  const stepLoss = stepSeries(records, "loss");
  const thinned = meanBins(stepLoss, maxStepPoints);
  add(
    "loss.svg",
    { title: "Loss", xLabel: "step", yLabel: "CTC loss", xInteger: true, logY: true },
    [
      {
        name: thinned.length < stepLoss.length ? "train (step, binned mean)" : "train (step)",
        points: thinned,
      },
      { name: "train (epoch)", points: epochSeries(records, "train", "loss", "step") },
      { name: "val (epoch)", points: epochSeries(records, "val", "loss", "step") },
    ],
  );
  add(
    "cer.svg",
    { title: "Character error rate", xLabel: "epoch", yLabel: "CER (%)", xInteger: true },
    [
      { name: "train", points: epochSeries(records, "train", "CER") },
      { name: "val", points: epochSeries(records, "val", "CER") },
    ],
  );
  add(
    "lr.svg",
    {
      title: "Learning rate",
      xLabel: "epoch",
      yLabel: "learning rate",
      logY: true,
      xInteger: true,
    },
    [{ name: "lr", points: epochSeries(records, "train", "lr") }],
  );
  add(
    "throughput.svg",
    { title: "Throughput", xLabel: "epoch", yLabel: "windows / s", xInteger: true },
    [
      { name: "train", points: epochSeries(records, "train", "windowsPerSecond") },
      { name: "val", points: epochSeries(records, "val", "windowsPerSecond") },
    ],
  );
  return figures;
}

function isDrawable([x, y]: Point, logY: boolean): boolean {
  return Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0);
}

function lastTime(records: readonly { time: number }[]): number | undefined {
  let last: number | undefined;
  for (const r of records) if (Number.isFinite(r.time)) last = Math.max(last ?? 0, r.time);
  return last;
}
