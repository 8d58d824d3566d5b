import {
  bestEpoch,
  epochRecords,
  evalRecords,
  formatCount,
  formatDuration,
  formatErrorRate,
  formatNumber,
  MISSING,
  markdownTable,
  renderRunReport,
  stepRecords,
} from "@emgkit/trainer";
import type { NamedRecords } from "./run-series.js";

/**
 * One run's report as Markdown (summary, final evaluation, per-epoch table), from the
 * trainer's own report renderer, without its curves section: the viewer draws the curves.
 */
export function runReportTables(run: NamedRecords & { path?: string }): string {
  const { markdown } = renderRunReport(run.records, {
    title: run.name,
    ...(run.path === undefined ? {} : { runDir: run.path }),
  });
  const curves = markdown.indexOf("\n## Curves");
  return curves < 0 ? markdown : `${markdown.slice(0, curves).trimEnd()}\n`;
}

/** The comparison table's columns before its test CERs, one per decoder evaluated. */
export const COMPARISON_COLUMNS = [
  "Run",
  "Epochs",
  "Steps",
  "Time",
  "Best val CER",
  "Best epoch",
  "Last val loss",
] as const;

/**
 * Several runs side by side as a Markdown table: epochs and steps done, training time, the
 * best val CER and its epoch, the last val loss, and the test CER of each decoder evaluated.
 */
export function comparisonTable(runs: readonly NamedRecords[]): string {
  const testDecoders = [
    ...new Set(
      runs.flatMap((run) =>
        evalRecords(run.records)
          .filter((r) => r.phase === "test")
          .map((r) => r.decoder),
      ),
    ),
  ];
  const headers = [...COMPARISON_COLUMNS, ...testDecoders.map((d) => `Test CER (${d})`)];
  const rows = runs.map((run) => {
    const train = epochRecords(run.records, "train");
    const val = epochRecords(run.records, "val");
    const steps = stepRecords(run.records);
    const epochs = new Set([...train, ...val].map((r) => r.epoch)).size;
    const lastStep = Math.max(
      steps.at(-1)?.step ?? 0,
      train.at(-1)?.step ?? 0,
      val.at(-1)?.step ?? 0,
    );
    // A loop, not Math.max(...records): a long run has more records than arguments fit.
    let time = 0;
    for (const r of run.records) if (Number.isFinite(r.time)) time = Math.max(time, r.time);
    const best = bestEpoch(run.records, "val", "CER");
    const tests = evalRecords(run.records).filter((r) => r.phase === "test");
    return [
      run.name,
      formatCount(epochs),
      formatCount(lastStep),
      run.records.length === 0 ? MISSING : formatDuration(time),
      formatErrorRate(best?.CER),
      best === undefined ? MISSING : String(best.epoch),
      formatNumber(val.at(-1)?.loss),
      ...testDecoders.map((d) => formatErrorRate(tests.find((r) => r.decoder === d)?.CER)),
    ];
  });
  return markdownTable(headers, rows, {
    align: headers.map((h) => (h === "Run" ? "left" : "right")),
  });
}
