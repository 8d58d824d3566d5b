import type { AppContext } from "../app-context.js";

/** The runs tab: training curves of runs, experiment reports, runs compared. */
export function mountRuns(container: HTMLElement, _context: AppContext): void {
  container.textContent = "runs: being written";
}
