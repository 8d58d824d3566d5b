import type { ErrorRates } from "@emgkit/cer-metrics";

/**
 * One line of a run's `metrics.jsonl`. `time` is seconds since the run
 * started (wall clock, across resumes); `step` counts optimiser steps.
 */
export type MetricsRecord = StepRecord | EpochRecord | EvalRecord;

/** What step and epoch records share. */
interface TrainingProgress {
  epoch: number;
  step: number;
  loss: number;
  lr: number;
  /** Windows per second over the step or epoch (data wait included). */
  windowsPerSecond: number;
  time: number;
}

/** After each optimiser step. */
export interface StepRecord extends TrainingProgress {
  kind: "step";
}

/** At the end of each epoch, one per phase (`train` and, when run, `val`). */
export interface EpochRecord extends TrainingProgress, ErrorRates {
  kind: "epoch";
  phase: "train" | "val";
}

/** A final evaluation (`emgkit eval`, or the end of `train`) of one split with one decoder. */
export interface EvalRecord extends ErrorRates {
  kind: "eval";
  phase: "train" | "val" | "test";
  decoder: "greedy" | "beam";
  loss: number;
  /** Examples scored (whole sessions for test, windows for train and val, as emg2qwerty) and their ground-truth characters. */
  sessions: number;
  characters: number;
  time: number;
}

/** Parses `metrics.jsonl` text; throws naming the line that is not a record. */
export function parseMetrics(text: string, source = "metrics.jsonl"): MetricsRecord[] {
  const records: MetricsRecord[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${source}:${i + 1}: not JSON`);
    }
    const kind = (value as { kind?: unknown } | null)?.kind;
    if (kind !== "step" && kind !== "epoch" && kind !== "eval") {
      throw new Error(`${source}:${i + 1}: not a metrics record (kind "${String(kind)}")`);
    }
    records.push(value as MetricsRecord);
  });
  return records;
}
