import type { EmgModel } from "../model.js";
import { createTds, defaultTdsConfig } from "./tds.js";

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
