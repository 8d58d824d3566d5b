import type { EpochRecord, EvalRecord, MetricsRecord, StepRecord } from "../metrics-record.js";
import type { Point } from "./downsample.js";

/** A per-epoch quantity that can be plotted. */
export type EpochMetric = "loss" | "CER" | "IER" | "DER" | "SER" | "lr" | "windowsPerSecond";

/** What an epoch curve is plotted against: epoch number, optimiser step or wall time (s). */
export type EpochAxis = "epoch" | "step" | "time";

/**
 * The epoch records of one phase, one per epoch in epoch order. A resumed run can
 * repeat an epoch; the later record wins, as it is the one the run went on from.
 */
export function epochRecords(
  records: readonly MetricsRecord[],
  phase: EpochRecord["phase"],
): EpochRecord[] {
  const byEpoch = new Map<number, EpochRecord>();
  for (const r of records) if (r.kind === "epoch" && r.phase === phase) byEpoch.set(r.epoch, r);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

/** The step records, one per step in step order (the later record wins on a repeat). */
export function stepRecords(records: readonly MetricsRecord[]): StepRecord[] {
  const byStep = new Map<number, StepRecord>();
  for (const r of records) if (r.kind === "step") byStep.set(r.step, r);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/**
 * The latest evaluation per (phase, decoder), ordered train, val, test and greedy before
 * beam, as a report's final table lists them.
 */
export function evalRecords(records: readonly MetricsRecord[]): EvalRecord[] {
  const latest = new Map<string, EvalRecord>();
  for (const r of records) if (r.kind === "eval") latest.set(`${r.phase}/${r.decoder}`, r);
  const phaseOrder = ["train", "val", "test"];
  const decoderOrder = ["greedy", "beam"];
  return [...latest.values()].sort(
    (a, b) =>
      phaseOrder.indexOf(a.phase) - phaseOrder.indexOf(b.phase) ||
      decoderOrder.indexOf(a.decoder) - decoderOrder.indexOf(b.decoder),
  );
}

/** One phase's per-epoch `metric` as chart points against `x`. */
export function epochSeries(
  records: readonly MetricsRecord[],
  phase: EpochRecord["phase"],
  metric: EpochMetric,
  x: EpochAxis = "epoch",
): Point[] {
  return epochRecords(records, phase).map((r) => [r[x], r[metric]]);
}

/** The per-step `metric` as chart points against the step number. */
export function stepSeries(
  records: readonly MetricsRecord[],
  metric: "loss" | "lr" | "windowsPerSecond",
): Point[] {
  return stepRecords(records).map((r) => [r.step, r[metric]]);
}

/**
 * The epoch with the lowest finite value of `metric` in `phase` (on a tie, the lower loss, then the earliest),
 * or undefined when there is none: a run's best checkpoint by val CER, for instance.
 */
export function bestEpoch(
  records: readonly MetricsRecord[],
  phase: EpochRecord["phase"] = "val",
  metric: EpochMetric = "CER",
): EpochRecord | undefined {
  let best: EpochRecord | undefined;
  for (const r of epochRecords(records, phase)) {
    if (!Number.isFinite(r[metric])) continue;
    // Ties go to the lower loss, as the trainer picks its best checkpoint.
    const better =
      best === undefined ||
      r[metric] < best[metric] ||
      (r[metric] === best[metric] && metric !== "loss" && r.loss < best.loss);
    if (better) best = r;
  }
  return best;
}
