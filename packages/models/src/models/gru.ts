import type { EmgModel } from "../model.js";
import {
  createRecurrentModel,
  type RecurrentModelConfig,
  type RecurrentModelParams,
} from "./recurrent-model.js";

/** Front end, then an `nn.GRU`, then the classifier. */
export type GruModelConfig = RecurrentModelConfig;
/** State_dict groups `model.*`, `gru.*`, `classifier.*`. */
export type GruModelParams = RecurrentModelParams<"gru">;

/**
 * 512 x 4 as the GRU seed (27.60 test CER), bidirectional: its CER is the
 * BiLSTM's (29.24), not the unidirectional LSTM's (69.81).
 */
export const defaultGruModelConfig: GruModelConfig = {
  inFeatures: 528,
  mlpFeatures: [384],
  hiddenSize: 512,
  numLayers: 4,
  bidirectional: true,
  dropout: 0,
  numClasses: 99,
};

/** The GRU model (see `createRecurrentModel`). */
export function createGruModel(
  config: GruModelConfig = defaultGruModelConfig,
  seed = 0,
): EmgModel<GruModelConfig> {
  return createRecurrentModel("gru", config, seed);
}
