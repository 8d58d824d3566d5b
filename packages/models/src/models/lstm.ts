import type { EmgModel } from "../model.js";
import {
  createRecurrentModel,
  type RecurrentModelConfig,
  type RecurrentModelParams,
} from "./recurrent-model.js";

/** Front end, then an `nn.LSTM`, then the classifier. */
export type LstmModelConfig = RecurrentModelConfig;
/** State_dict groups `model.*`, `lstm.*`, `classifier.*`. */
export type LstmModelParams = RecurrentModelParams<"lstm">;

/** Unidirectional 256 x 2, as the "LSTM" seed (69.81 test CER); set `bidirectional` for the BiLSTM seed (29.24). */
export const defaultLstmModelConfig: LstmModelConfig = {
  inFeatures: 528,
  mlpFeatures: [384],
  hiddenSize: 256,
  numLayers: 2,
  bidirectional: false,
  dropout: 0,
  numClasses: 99,
};

/** The LSTM model (see `createRecurrentModel`). */
export function createLstmModel(
  config: LstmModelConfig = defaultLstmModelConfig,
  seed = 0,
): EmgModel<LstmModelConfig> {
  return createRecurrentModel("lstm", config, seed);
}
