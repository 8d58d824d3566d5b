import type { EmgModel } from "../model.js";
import { createCnnModel, defaultCnnModelConfig } from "./cnn.js";
import { createCnnBiLstmModel, defaultCnnBiLstmModelConfig } from "./cnn-bilstm.js";
import { createGruModel, defaultGruModelConfig } from "./gru.js";
import { createLstmModel, defaultLstmModelConfig } from "./lstm.js";
import { createTcn, defaultTcnConfig } from "./tcn.js";
import { createTds, defaultTdsConfig } from "./tds.js";
import { createTransformer, defaultTransformerConfig } from "./transformer.js";

/** How to build one kind of model: its defaults and a factory taking a full config and a seed. */
export interface ModelEntry<Config = unknown> {
  defaults: Config;
  create(config: Config, seed: number): EmgModel<Config>;
}

/**
 * Every model kind by name. Each model file exports its `create*` factory
 * and defaults; a new kind is one line here.
 */
export const modelRegistry: Record<string, ModelEntry> = {
  tds: { defaults: defaultTdsConfig, create: createTds } as ModelEntry,
  lstm: { defaults: defaultLstmModelConfig, create: createLstmModel } as ModelEntry,
  gru: { defaults: defaultGruModelConfig, create: createGruModel } as ModelEntry,
  cnn: { defaults: defaultCnnModelConfig, create: createCnnModel } as ModelEntry,
  "cnn-bilstm": {
    defaults: defaultCnnBiLstmModelConfig,
    create: createCnnBiLstmModel,
  } as ModelEntry,
  tcn: { defaults: defaultTcnConfig, create: createTcn } as ModelEntry,
  transformer: { defaults: defaultTransformerConfig, create: createTransformer } as ModelEntry,
};

/** Names accepted by `createModel`. */
export const modelKinds: readonly string[] = Object.keys(modelRegistry);

/**
 * A model of `kind` with `config` laid over its defaults (a shallow merge,
 * like Hydra overrides of top-level keys), initialised from `seed`.
 */
export function createModel(kind: string, config: object = {}, seed = 0): EmgModel {
  const entry = modelRegistry[kind];
  if (entry === undefined) {
    throw new Error(
      `unknown model kind "${kind}"; known: ${Object.keys(modelRegistry).join(", ")}`,
    );
  }
  return entry.create({ ...(entry.defaults as object), ...config }, seed);
}
