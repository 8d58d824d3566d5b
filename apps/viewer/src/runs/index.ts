import type { AppContext } from "../app-context.js";

/**
 * The runs tab: training curves of runs, experiment reports, runs compared (runs-view.ts).
 * Its code (with the trainer's report functions) is loaded, and the served folder searched,
 * when the tab is first shown, so opening a session does not wait for it.
 */
export function mountRuns(container: HTMLElement, context: AppContext): void {
  const status = container.ownerDocument.createElement("p");
  status.className = "runs-status";
  status.dataset.testid = "runs-status";
  status.textContent = "Loading the runs view…";
  container.replaceChildren(status);
  whenVisible(container, () => {
    import("./runs-view.js").then(
      (view) => view.mountRunsView(container, context),
      (error: unknown) => {
        status.textContent = `The runs view failed to load: ${error instanceof Error ? error.message : String(error)}`;
      },
    );
  });
}

/** Calls `callback` once, the first time `element` is laid out on screen. */
function whenVisible(element: HTMLElement, callback: () => void): void {
  if (typeof IntersectionObserver === "undefined") {
    callback();
    return;
  }
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      observer.disconnect();
      callback();
    }
  });
  observer.observe(element);
}
