import type { EmgModel } from "../src/model.js";
import { createModel } from "../src/models/registry.js";

/** Small configs (3 frequency bins, so inFeatures 48), so that every kind loads and runs fast. */
const frontEnd = { inFeatures: 48, mlpFeatures: [8] };
export const tinyConfigs: Record<string, object> = {
  tds: { ...frontEnd, blockChannels: [4], kernelWidth: 3 },
  lstm: { ...frontEnd, hiddenSize: 8, numLayers: 1 },
  bilstm: { ...frontEnd, hiddenSize: 8, numLayers: 1 },
  gru: { ...frontEnd, hiddenSize: 8, numLayers: 1 },
  cnn: { ...frontEnd, channels: 8, numBlocks: 2, kernelWidth: 3 },
  "cnn-bilstm": {
    ...frontEnd,
    convChannels: 8,
    convBlocks: 1,
    convKernelWidth: 3,
    hiddenSize: 8,
    numLayers: 1,
  },
  tcn: { ...frontEnd, blockChannels: [6, 4], kernelSize: 3 },
  transformer: { ...frontEnd, dModel: 8, heads: 2, layers: 1, feedForward: 8 },
};

/** A model of `kind` in its tiny test config. */
export function createTinyModel(kind: string, seed: number): EmgModel {
  const config = tinyConfigs[kind];
  if (config === undefined) throw new Error(`add a tiny config for ${kind}`);
  return createModel(kind, config, seed);
}
