import { type MetricsRecord, parseMetrics } from "@emgkit/trainer";
import type { FileSource } from "../app-context.js";
import { joinServed } from "./served-path.js";

/** A run's metrics as the viewer holds them. */
export interface LoadedRun {
  /** Served path of the run folder, or `file:<name>` for a dropped metrics file. */
  path: string;
  name: string;
  records: MetricsRecord[];
  /** The run's `config.yaml`, when served. */
  config?: string;
}

const decoder = new TextDecoder();

/** Reads a served run folder's `metrics.jsonl` (and `config.yaml` when there is one). */
export async function loadServedRun(
  files: FileSource,
  path: string,
  name: string,
): Promise<LoadedRun> {
  const metricsPath = joinServed(path, "metrics.jsonl");
  const [metrics, config] = await Promise.all([
    files.read(metricsPath),
    files.read(joinServed(path, "config.yaml")).then(
      (bytes) => decoder.decode(bytes),
      () => undefined,
    ),
  ]);
  const records = parseMetrics(decoder.decode(metrics), metricsPath);
  return { path, name, records, ...(config === undefined ? {} : { config }) };
}

/** A `metrics.jsonl` file opened from disk (file picker or drop). */
export async function loadDroppedRun(file: File): Promise<LoadedRun> {
  const records = parseMetrics(await file.text(), file.name);
  return { path: `file:${file.name}`, name: file.name, records };
}
