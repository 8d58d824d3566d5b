import type { FileSource } from "../app-context.js";
import type { ExperimentRef } from "./discover.js";
import { el, htmlBlock } from "./dom.js";
import { renderMarkdown } from "./markdown.js";
import { reportUrls } from "./report-urls.js";
import { joinServed } from "./served-path.js";

/** What the experiment panel asks of the view. */
export interface ExperimentActions {
  /** Shows one run of the experiment. */
  openRun(path: string): void;
  /** Selects all the experiment's runs for comparison. */
  compareRuns(paths: readonly string[]): void;
}

const decoder = new TextDecoder();

/**
 * An experiment's `report.md` rendered (its table, its figures from the served folder, its
 * links: a link to one of its runs opens that run here), with a button comparing its runs.
 */
export async function experimentPanel(
  files: FileSource,
  experiment: ExperimentRef,
  actions: ExperimentActions,
): Promise<HTMLElement> {
  const panel = el("section", {
    class: "runs-experiment-panel",
    "data-testid": "experiment-panel",
  });
  const runPaths = experiment.runs.map((r) => r.path);
  const toolbar = el("p", { class: "runs-toolbar" });
  if (runPaths.length > 0) {
    toolbar.append(
      el(
        "button",
        {
          type: "button",
          "data-testid": "compare-experiment",
          onclick: () => actions.compareRuns(runPaths),
        },
        `Compare its ${runPaths.length} run${runPaths.length === 1 ? "" : "s"}`,
      ),
    );
  }
  const reportPath = joinServed(experiment.path, "report.md");
  let markdown: string;
  try {
    markdown = decoder.decode(await files.read(reportPath));
  } catch {
    panel.append(
      el("h2", {}, experiment.name),
      toolbar,
      el(
        "p",
        { class: "runs-status" },
        `${reportPath} is not there yet: the report is written when the experiment's runs finish (rerun the experiment command to resume).`,
      ),
    );
    return panel;
  }
  const html = renderMarkdown(
    markdown,
    reportUrls(reportPath, (p) => files.url(p), new Set(runPaths)),
  );
  const report = htmlBlock("runs-markdown", html, "experiment-report");
  report.addEventListener("click", (event) => {
    const link = (event.target as Element | null)?.closest?.("a[data-run-path]");
    if (!(link instanceof HTMLAnchorElement)) return;
    event.preventDefault();
    actions.openRun(link.dataset.runPath ?? "");
  });
  panel.append(toolbar, report);
  return panel;
}
