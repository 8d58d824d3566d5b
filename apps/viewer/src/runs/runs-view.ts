import type { AppContext } from "../app-context.js";
import { type Discovered, discoverRuns, type ExperimentRef, type RunRef } from "./discover.js";
import { el } from "./dom.js";
import { experimentPanel } from "./experiment-panel.js";
import { type LoadedRun, loadDroppedRun, loadServedRun } from "./run-data.js";
import { comparisonPanel, runPanel } from "./run-panels.js";
import { ensureRunsStyle } from "./runs-style.js";

export { type Discovered, discoverRuns, type ExperimentRef, type RunRef } from "./discover.js";
export { renderMarkdown } from "./markdown.js";
export { type CurveSet, comparedCurves, runCurves } from "./run-series.js";

const FOLLOW_MS = 5000;

/**
 * The runs tab: the runs and experiments of the served folder in a list; one run selected
 * shows its loss, CER and learning-rate curves and its tables; several are overlaid and
 * tabled side by side; an experiment shows its report. `metrics.jsonl` files can also be
 * opened from disk (picker or drop), which is all the static build without a server offers.
 */
export function mountRunsView(container: HTMLElement, context: AppContext): void {
  ensureRunsStyle(container.ownerDocument);
  const files = context.files;
  const cache = new Map<string, Promise<LoadedRun>>();
  const dropped = new Map<string, LoadedRun>();
  let discovered: Discovered = { runs: [], experiments: [] };
  let selected: string[] = [];
  let experimentPath: string | null = null;
  let renderToken = 0;
  let searched = false;

  const status = el("p", { class: "runs-status", "data-testid": "runs-status" });
  const list = el("div", { "data-testid": "runs-list" });
  const main = el("div", { class: "runs-main", "data-testid": "runs-main" });
  const fileInput = el("input", {
    type: "file",
    accept: ".jsonl,application/jsonl,application/x-ndjson",
    multiple: true,
    hidden: true,
    onchange: () => void openFiles([...(fileInput.files ?? [])]),
  });
  const follow = el("input", { type: "checkbox", "data-testid": "runs-follow" });
  const toolbar = el(
    "div",
    { class: "runs-toolbar" },
    files === null
      ? null
      : el(
          "button",
          { type: "button", "data-testid": "runs-reload", onclick: () => void reload() },
          "Reload",
        ),
    el("label", { title: "Reload the selected runs every 5 s" }, follow, "follow"),
    el("button", { type: "button", onclick: () => fileInput.click() }, "Open metrics.jsonl…"),
    fileInput,
  );
  const sidebar = el("aside", { class: "runs-sidebar runs-dropzone" }, toolbar, status, list);
  container.replaceChildren(el("div", { class: "runs-view" }, sidebar, main));

  // Dropped metrics files open as runs; other drops are left to the app.
  const jsonlOnly = (items: DataTransferItemList | undefined) =>
    items !== undefined && items.length > 0 && [...items].every((i) => i.kind === "file");
  sidebar.addEventListener("dragover", (event) => {
    if (!jsonlOnly(event.dataTransfer?.items)) return;
    event.preventDefault();
    sidebar.classList.add("dragging");
  });
  sidebar.addEventListener("dragleave", () => sidebar.classList.remove("dragging"));
  sidebar.addEventListener("drop", (event) => {
    sidebar.classList.remove("dragging");
    const dropFiles = [...(event.dataTransfer?.files ?? [])];
    if (dropFiles.length === 0 || !dropFiles.every((f) => f.name.endsWith(".jsonl"))) return;
    event.preventDefault();
    event.stopPropagation();
    void openFiles(dropFiles);
  });

  function setStatus(text: string, error = false): void {
    status.textContent = text;
    status.classList.toggle("error", error);
  }

  async function openFiles(opened: File[]): Promise<void> {
    for (const file of opened) {
      try {
        const run = await loadDroppedRun(file);
        dropped.set(run.path, run);
        cache.set(run.path, Promise.resolve(run));
        if (!selected.includes(run.path)) selected.push(run.path);
      } catch (error) {
        setStatus(`${file.name}: ${message(error)}`, true);
      }
    }
    experimentPath = null;
    renderList();
    void renderMain();
  }

  function allRuns(): RunRef[] {
    return [
      ...discovered.runs,
      ...discovered.experiments.flatMap((e) => e.runs),
      ...[...dropped.values()].map((r) => ({ path: r.path, name: r.name })),
    ];
  }

  /** Names shown in legends: a run's own name, or its path where two names collide. */
  function legendNames(runs: readonly RunRef[]): Map<string, string> {
    const counts = new Map<string, number>();
    for (const r of runs) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
    return new Map(runs.map((r) => [r.path, (counts.get(r.name) ?? 0) > 1 ? r.path : r.name]));
  }

  function load(ref: RunRef): Promise<LoadedRun> {
    let loaded = cache.get(ref.path);
    if (loaded === undefined) {
      if (files === null) return Promise.reject(new Error(`${ref.path}: no served folder`));
      loaded = loadServedRun(files, ref.path, ref.name);
      cache.set(ref.path, loaded);
      // A failed read is tried again next time.
      loaded.catch(() => cache.delete(ref.path));
    }
    return loaded;
  }

  function toggle(path: string, on: boolean): void {
    selected = on
      ? [...selected.filter((p) => p !== path), path]
      : selected.filter((p) => p !== path);
    experimentPath = null;
    renderList();
    void renderMain();
  }

  function runItem(ref: RunRef): HTMLLIElement {
    const box = el("input", {
      type: "checkbox",
      "data-run-path": ref.path,
      checked: selected.includes(ref.path),
      onchange: (event) => toggle(ref.path, (event.target as HTMLInputElement).checked),
    });
    return el(
      "li",
      { "data-testid": "run-item", "data-run-path": ref.path },
      el("label", {}, box, ref.name),
    );
  }

  function experimentItem(experiment: ExperimentRef): HTMLLIElement {
    const button = el(
      "button",
      {
        type: "button",
        class: "runs-experiment",
        "data-testid": "experiment-item",
        "data-experiment-path": experiment.path,
        "aria-current": experimentPath === experiment.path ? "true" : "false",
        onclick: () => {
          experimentPath = experiment.path;
          renderList();
          void renderMain();
        },
      },
      experiment.name,
    );
    const runs = el("ul", {}, ...experiment.runs.map(runItem));
    return el("li", {}, button, experiment.runs.length > 0 ? runs : null);
  }

  function renderList(): void {
    const sections: HTMLElement[] = [];
    if (discovered.experiments.length > 0) {
      sections.push(
        el("h3", {}, "Experiments"),
        el("ul", {}, ...discovered.experiments.map(experimentItem)),
      );
    }
    if (discovered.runs.length > 0) {
      sections.push(el("h3", {}, "Runs"), el("ul", {}, ...discovered.runs.map(runItem)));
    }
    if (dropped.size > 0) {
      const refs = [...dropped.values()].map((r) => ({ path: r.path, name: r.name }));
      sections.push(el("h3", {}, "Opened files"), el("ul", {}, ...refs.map(runItem)));
    }
    if (selected.length > 0) {
      sections.push(
        el(
          "p",
          {},
          el(
            "button",
            { type: "button", onclick: () => clearSelection() },
            `Clear selection (${selected.length})`,
          ),
        ),
      );
    }
    list.replaceChildren(...sections);
  }

  function clearSelection(): void {
    selected = [];
    renderList();
    void renderMain();
  }

  async function renderMain(options: { quiet?: boolean } = {}): Promise<void> {
    const token = ++renderToken;
    const show = (...nodes: Node[]) => {
      if (token === renderToken) main.replaceChildren(...nodes);
    };
    const experiment = discovered.experiments.find((e) => e.path === experimentPath);
    if (experiment !== undefined && files !== null) {
      if (!options.quiet)
        show(el("p", { class: "runs-status" }, `Loading ${experiment.path}/report.md…`));
      show(
        await experimentPanel(files, experiment, {
          openRun: (path) => {
            selected = [path];
            experimentPath = null;
            renderList();
            void renderMain();
          },
          compareRuns: (paths) => {
            selected = [...paths];
            experimentPath = null;
            renderList();
            void renderMain();
          },
        }),
      );
      return;
    }
    const known = allRuns();
    const refs = selected
      .map((path) => known.find((r) => r.path === path))
      .filter((r): r is RunRef => r !== undefined);
    if (refs.length === 0) {
      show(hint());
      return;
    }
    if (!options.quiet)
      show(
        el(
          "p",
          { class: "runs-status" },
          `Loading ${refs.length === 1 ? refs[0]?.path : `${refs.length} runs`}…`,
        ),
      );
    const names = legendNames(refs);
    const results = await Promise.allSettled(refs.map(load));
    const runs: LoadedRun[] = [];
    const errors: HTMLElement[] = [];
    results.forEach((result, i) => {
      if (result.status === "fulfilled") {
        runs.push({ ...result.value, name: names.get(result.value.path) ?? result.value.name });
      } else {
        errors.push(
          el("p", { class: "runs-status error" }, `${refs[i]?.path}: ${message(result.reason)}`),
        );
      }
    });
    if (runs.length === 0) {
      show(...errors);
    } else if (runs.length === 1) {
      show(...errors, runPanel(runs[0] as LoadedRun));
    } else {
      show(...errors, comparisonPanel(runs));
    }
  }

  function hint(): HTMLElement {
    if (files === null) {
      return el(
        "p",
        { class: "runs-status" },
        "Open a run's metrics.jsonl (or drop it on the list), or serve a folder of runs with `emgkit view <folder>`.",
      );
    }
    if (!searched) return el("p", { class: "runs-status" }, "Looking for runs…");
    if (allRuns().length === 0 && discovered.experiments.length === 0) {
      return el(
        "p",
        { class: "runs-status" },
        "No runs here: a run is a folder with metrics.jsonl (`emgkit train`), an experiment a folder with sweep.json (`emgkit experiment`).",
      );
    }
    return el(
      "p",
      { class: "runs-status" },
      "Select a run to see its curves, several to compare them, or an experiment to read its report.",
    );
  }

  async function reload(): Promise<void> {
    if (files === null) return;
    setStatus("Looking for runs…");
    try {
      discovered = await discoverRuns(files);
      searched = true;
      const count =
        discovered.runs.length + discovered.experiments.reduce((n, e) => n + e.runs.length, 0);
      setStatus(
        `${count} run${count === 1 ? "" : "s"}, ${discovered.experiments.length} experiment${discovered.experiments.length === 1 ? "" : "s"}`,
      );
    } catch (error) {
      searched = true;
      setStatus(`Listing the served folder failed: ${message(error)}`, true);
    }
    for (const path of [...cache.keys()]) if (!dropped.has(path)) cache.delete(path);
    renderList();
    await renderMain({ quiet: true });
  }

  // Following reloads the selected runs' metrics while the tab is visible.
  setInterval(() => {
    if (!follow.checked || files === null || container.offsetParent === null) return;
    if (selected.length === 0 && experimentPath === null) return;
    for (const path of selected) if (!dropped.has(path)) cache.delete(path);
    void renderMain({ quiet: true });
  }, FOLLOW_MS);

  renderList();
  void renderMain();
  void reload();
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
