import { appendFile } from "node:fs/promises";
import type { MetricsRecord } from "../metrics-record.js";

/** Appends records to a run's `metrics.jsonl`, one JSON object per line. */
export class MetricsLog {
  constructor(readonly path: string) {}

  async write(record: MetricsRecord): Promise<void> {
    await appendFile(this.path, `${JSON.stringify(record)}\n`);
  }
}
