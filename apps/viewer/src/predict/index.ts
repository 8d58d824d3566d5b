import type { AppContext } from "../app-context.js";

/** The model panel under the session view: emissions heatmap, greedy and beam decodings, CER. */
export function mountPredictions(container: HTMLElement, _context: AppContext): void {
  container.textContent = "predictions: being written";
}

/** Streaming replay of the open session through a causal model, at 1x, 2x or 4x. */
export function mountStreaming(container: HTMLElement, _context: AppContext): void {
  container.textContent = "streaming: being written";
}
