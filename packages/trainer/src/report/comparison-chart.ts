import type { EpochRecord, MetricsRecord } from "../metrics-record.js";
import type { Point } from "./downsample.js";
import { type EpochMetric, epochSeries } from "./metric-series.js";
import { lineChart } from "./svg-line-plot.js";

/** A run to compare: its legend name and its metrics records. */
export interface ComparedRun {
  name: string;
  records: readonly MetricsRecord[];
}

/** What {@link comparisonChart} plots. */
export interface ComparisonChartOptions {
  /** Default "CER". */
  metric?: EpochMetric;
  /** Default "val". */
  phase?: EpochRecord["phase"];
  /** Epoch number (default) or wall time since each run started. */
  x?: "epoch" | "time";
  /** Default e.g. "val CER by epoch". */
  title?: string;
  logY?: boolean;
  width?: number;
  height?: number;
}

const METRIC_LABELS: Record<EpochMetric, string> = {
  loss: "loss",
  CER: "CER (%)",
  IER: "IER (%)",
  DER: "DER (%)",
  SER: "SER (%)",
  lr: "learning rate",
  windowsPerSecond: "windows / s",
};

/**
 * One line per run of a per-epoch metric (by default val CER) against epoch or wall time,
 * for experiments that compare runs. Wall time is shown in seconds, minutes or hours,
 * whichever suits the longest run.
 */
export function comparisonChart(
  runs: readonly ComparedRun[],
  options: ComparisonChartOptions = {},
): string {
  const metric = options.metric ?? "CER";
  const phase = options.phase ?? "val";
  const x = options.x ?? "epoch";
  const curves = runs.map((run) => ({
    name: run.name,
    points: epochSeries(run.records, phase, metric, x),
  }));
  let xLabel = "epoch";
  let series = curves;
  if (x === "time") {
    const longest = Math.max(
      0,
      ...curves.flatMap((c) => c.points.map((p) => p[0])).filter(Number.isFinite),
    );
    const [unit, seconds] =
      longest >= 2 * 3600 ? ["h", 3600] : longest >= 120 ? ["min", 60] : ["s", 1];
    xLabel = `wall time (${unit})`;
    series = curves.map((c) => ({
      name: c.name,
      points: c.points.map(([t, y]): Point => [t / seconds, y]),
    }));
  }
  return lineChart({
    title:
      options.title ??
      `${phase} ${metric === "windowsPerSecond" ? "throughput" : metric} by ${x === "time" ? "wall time" : "epoch"}`,
    xLabel,
    yLabel: METRIC_LABELS[metric],
    series,
    xInteger: x === "epoch",
    logY: options.logY,
    width: options.width,
    height: options.height,
  });
}
