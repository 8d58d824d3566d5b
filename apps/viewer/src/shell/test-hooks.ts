/**
 * `window.__emgkitViewer` for the browser tests, with its state mirrored in
 * `document.body.dataset.viewerState` ("idle" → "loading" → "ready" | "error").
 */
import type { ViewerTestHooks } from "../app-context.js";

/** The contract's hooks plus where the last open's time went (for measurements). */
export interface ViewerHooks extends ViewerTestHooks {
  /** Milliseconds: getting the bytes, opening the HDF5 file, reading samples, building the pyramid, and in all. */
  openTimings: Record<string, number> | null;
  /** The session view's counters (draws, last spectrogram time, sample blocks read). */
  stats(): Record<string, number>;
}

declare global {
  interface Window {
    __emgkitViewer?: ViewerHooks;
  }
}

/** Installs the hooks; `pan` is forwarded to the given function. */
export function installTestHooks(
  pan: (samples: number) => void,
  stats: () => Record<string, number>,
): {
  hooks: ViewerHooks;
  setState(state: ViewerTestHooks["state"]): void;
} {
  const hooks: ViewerHooks = { state: "idle", openMs: null, openTimings: null, pan, stats };
  window.__emgkitViewer = hooks;
  const setState = (state: ViewerTestHooks["state"]) => {
    hooks.state = state;
    document.body.dataset.viewerState = state;
  };
  setState("idle");
  return { hooks, setState };
}
