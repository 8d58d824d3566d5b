import { lineChart } from "@emgkit/trainer";
import { el, htmlBlock } from "./dom.js";
import { renderMarkdown } from "./markdown.js";
import type { LoadedRun } from "./run-data.js";
import { type CurveSet, comparedCurves, runCurves } from "./run-series.js";
import { comparisonTable, runReportTables } from "./run-tables.js";

/** A grid of SVG line charts, one per curve set (`data-testid="run-chart"`, `data-chart=<id>`). */
export function chartGrid(sets: readonly CurveSet[]): HTMLElement {
  const grid = el("div", { class: "runs-charts" });
  for (const set of sets) {
    const chart = htmlBlock(
      "runs-chart",
      lineChart({ ...set, width: 560, height: 320 }),
      "run-chart",
    );
    chart.dataset.chart = set.id;
    grid.append(chart);
  }
  return grid;
}

/** One run: its curves, then its report's tables (summary, evaluation, epochs) and config. */
export function runPanel(run: LoadedRun): HTMLElement {
  const sets = runCurves(run.records);
  const panel = el("section", { class: "runs-run", "data-testid": "run-panel" });
  panel.append(el("h2", { "data-testid": "run-title" }, run.name));
  if (sets.length === 0) {
    panel.append(el("p", { class: "runs-status" }, "No curves yet: metrics.jsonl has no records."));
  } else {
    panel.append(chartGrid(sets));
  }
  const report = runReportTables({ name: run.name, records: run.records, path: run.path });
  // The report's own title repeats the heading above; its sections go one level down.
  const body = report.replace(/^# .*\n+/, "").replace(/^## /gm, "### ");
  panel.append(htmlBlock("runs-markdown", renderMarkdown(body), "run-report"));
  if (run.config !== undefined) {
    panel.append(el("details", {}, el("summary", {}, "config.yaml"), el("pre", {}, run.config)));
  }
  return panel;
}

/** Several runs: overlaid curves and a table of their results. */
export function comparisonPanel(runs: readonly LoadedRun[]): HTMLElement {
  const panel = el("section", { class: "runs-compare", "data-testid": "runs-compare" });
  panel.append(el("h2", {}, `${runs.length} runs compared`));
  const named = runs.map((r) => ({ name: r.name, records: r.records }));
  panel.append(
    htmlBlock("runs-markdown", renderMarkdown(comparisonTable(named)), "runs-compare-table"),
  );
  const sets = comparedCurves(named);
  if (sets.length === 0) {
    panel.append(el("p", { class: "runs-status" }, "None of these runs has recorded metrics yet."));
  } else {
    panel.append(chartGrid(sets));
  }
  return panel;
}
