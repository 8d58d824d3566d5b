import * as tf from "@tensorflow/tfjs-core";
import type { AppContext } from "../app-context.js";
import { ensureBackend } from "./backend.js";
import { currentLm, loadLm, loadModel, setCurrentModel } from "./model-store.js";
import { PredictionsPanel } from "./predictions-panel.js";
import { StreamingPanel } from "./streaming-panel.js";

/**
 * Hooks for browser measurements and tests (`window.__emgkitPredict`): load a model or LM from a
 * URL, run the predictions panel, read what it and the streaming replay measured.
 */
export interface PredictTestHooks {
  loadModelUrl(weightsUrl: string, configUrl?: string): Promise<string>;
  loadLmUrl(url: string): Promise<number>;
  predictions: PredictionsPanel | null;
  streaming: StreamingPanel | null;
  numTensors(): number;
}

function hooks(): PredictTestHooks {
  const global = globalThis as { __emgkitPredict?: PredictTestHooks };
  global.__emgkitPredict ??= {
    async loadModelUrl(weightsUrl, configUrl) {
      const weights = await (await fetch(weightsUrl)).arrayBuffer();
      const config = configUrl ? await (await fetch(configUrl)).text() : null;
      const loaded = await loadModel(weightsUrl.split("/").pop() ?? weightsUrl, weights, config);
      setCurrentModel(loaded);
      return loaded.model.kind;
    },
    async loadLmUrl(url) {
      const lm = await loadLm(url, await (await fetch(url)).arrayBuffer());
      currentLm.set({ name: url.split("/").pop() ?? url, lm });
      return lm.order;
    },
    predictions: null,
    streaming: null,
    numTensors: () => tf.memory().numTensors,
  };
  return global.__emgkitPredict;
}

/** The model panel under the session view: emissions heatmap, greedy and beam decodings, CER. */
export function mountPredictions(container: HTMLElement, context: AppContext): void {
  const panel = new PredictionsPanel(context);
  container.replaceChildren(panel.element);
  hooks().predictions = panel;
  // Start the wasm backend early, so the first model loads without waiting for it.
  void ensureBackend().catch(() => undefined);
}

/** Streaming replay of the open session through a causal model, at 1x, 2x or 4x. */
export function mountStreaming(container: HTMLElement, context: AppContext): void {
  const panel = new StreamingPanel(context);
  container.replaceChildren(panel.element);
  hooks().streaming = panel;
}
