import {
  type EpochMetric,
  epochSeries,
  type LineSeries,
  type MetricsRecord,
  meanBins,
  stepSeries,
} from "@emgkit/trainer";

/** A run's records under the name its curves carry in a legend. */
export interface NamedRecords {
  name: string;
  records: readonly MetricsRecord[];
}

/** The curves of one chart: title, axes and series (only series with a drawable point). */
export interface CurveSet {
  /** Stable id (`loss`, `cer`...), used as the chart's test id and file name. */
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  logY: boolean;
  xInteger: boolean;
  series: LineSeries[];
}

/** Per-step curves are averaged down to at most this many points (default). */
export const MAX_STEP_POINTS = 1000;

/**
 * One run's curves: loss per step (binned mean) with train and val loss per epoch at the
 * step each epoch ended; train and val CER by epoch; learning rate per step (per epoch when
 * no step was recorded). Sets with nothing to draw are left out.
 */
export function runCurves(
  records: readonly MetricsRecord[],
  maxStepPoints = MAX_STEP_POINTS,
): CurveSet[] {
  const stepLoss = stepSeries(records, "loss");
  const binned = meanBins(stepLoss, maxStepPoints);
  const stepLr = stepSeries(records, "lr");
  const sets: CurveSet[] = [
    {
      id: "loss",
      title: "Loss",
      xLabel: "step",
      yLabel: "CTC loss",
      logY: true,
      xInteger: true,
      series: [
        {
          name: binned.length < stepLoss.length ? "train (step, binned mean)" : "train (step)",
          points: binned,
        },
        { name: "train (epoch)", points: epochSeries(records, "train", "loss", "step") },
        { name: "val (epoch)", points: epochSeries(records, "val", "loss", "step") },
      ],
    },
    {
      id: "cer",
      title: "Character error rate",
      xLabel: "epoch",
      yLabel: "CER (%)",
      logY: false,
      xInteger: true,
      series: [
        { name: "train", points: epochSeries(records, "train", "CER") },
        { name: "val", points: epochSeries(records, "val", "CER") },
      ],
    },
    stepLr.length > 0
      ? {
          id: "lr",
          title: "Learning rate",
          xLabel: "step",
          yLabel: "learning rate",
          logY: false,
          xInteger: true,
          series: [{ name: "lr", points: meanBins(stepLr, maxStepPoints) }],
        }
      : {
          id: "lr",
          title: "Learning rate",
          xLabel: "epoch",
          yLabel: "learning rate",
          logY: false,
          xInteger: true,
          series: [{ name: "lr", points: epochSeries(records, "train", "lr") }],
        },
  ];
  return keepDrawn(sets);
}

/**
 * Several runs overlaid, one series per run: val CER and val loss by epoch (train's when a
 * run has no val epochs), train loss per step, learning rate per step, val CER by wall time.
 */
export function comparedCurves(
  runs: readonly NamedRecords[],
  maxStepPoints = MAX_STEP_POINTS,
): CurveSet[] {
  const byEpoch = (metric: EpochMetric, x: "epoch" | "time" = "epoch"): LineSeries[] =>
    runs.map((run) => {
      const val = epochSeries(run.records, "val", metric, x);
      return val.length > 0
        ? { name: run.name, points: val }
        : { name: `${run.name} (train)`, points: epochSeries(run.records, "train", metric, x) };
    });
  const perStep = (metric: "loss" | "lr"): LineSeries[] =>
    runs.map((run) => ({
      name: run.name,
      points: meanBins(stepSeries(run.records, metric), maxStepPoints),
    }));
  const sets: CurveSet[] = [
    {
      id: "compare-cer",
      title: "val CER by epoch",
      xLabel: "epoch",
      yLabel: "CER (%)",
      logY: false,
      xInteger: true,
      series: byEpoch("CER"),
    },
    {
      id: "compare-val-loss",
      title: "val loss by epoch",
      xLabel: "epoch",
      yLabel: "CTC loss",
      logY: true,
      xInteger: true,
      series: byEpoch("loss"),
    },
    {
      id: "compare-step-loss",
      title: "train loss by step",
      xLabel: "step",
      yLabel: "CTC loss",
      logY: true,
      xInteger: true,
      series: perStep("loss"),
    },
    {
      id: "compare-lr",
      title: "learning rate by step",
      xLabel: "step",
      yLabel: "learning rate",
      logY: false,
      xInteger: true,
      series: perStep("lr"),
    },
    {
      id: "compare-cer-time",
      title: "val CER by wall time",
      xLabel: "wall time (s)",
      yLabel: "CER (%)",
      logY: false,
      xInteger: false,
      series: byEpoch("CER", "time"),
    },
  ];
  // A run without data keeps its place (and colour) in a chart that others fill.
  return sets.filter((set) => set.series.some((s) => s.points.some((p) => drawable(p, set.logY))));
}

function keepDrawn(sets: CurveSet[]): CurveSet[] {
  return sets
    .map((set) => ({
      ...set,
      series: set.series.filter((s) => s.points.some((p) => drawable(p, set.logY))),
    }))
    .filter((set) => set.series.length > 0);
}

function drawable([x, y]: readonly [number, number], logY: boolean): boolean {
  return Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0);
}
