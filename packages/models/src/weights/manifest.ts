import { version as emgkitVersion } from "../../package.json";
import type { EmgModel } from "../model.js";
import { WeightsFormatError } from "./safetensors.js";

/** What a weights file says about the model it belongs to, kept in its `__metadata__`. */
export interface WeightsManifest {
  /** Registry kind (`"tds"`, `"tcn"`, ...). */
  kind: string;
  /** The model's full config, as `createModel(kind, config)` takes it. */
  config: unknown;
  /** Version of @emgkit/models that wrote the file. */
  emgkitVersion: string;
}

/**
 * safetensors metadata is a map of strings, so the config travels as JSON;
 * `format: "pt"` lets Hugging Face tools read the file as PyTorch weights.
 */
export function manifestMetadata(model: EmgModel): Record<string, string> {
  return {
    format: "pt",
    "emgkit.kind": model.kind,
    "emgkit.config": JSON.stringify(model.config),
    "emgkit.version": emgkitVersion,
  };
}

export function readManifest(metadata: Record<string, string>): WeightsManifest {
  const kind = metadata["emgkit.kind"];
  const configJson = metadata["emgkit.config"];
  if (kind === undefined || configJson === undefined) {
    throw new WeightsFormatError(
      "__metadata__ lacks emgkit.kind or emgkit.config: not an emgkit model file",
    );
  }
  let config: unknown;
  try {
    config = JSON.parse(configJson);
  } catch (error) {
    throw new WeightsFormatError(`emgkit.config is not valid JSON (${(error as Error).message})`);
  }
  return { kind, config, emgkitVersion: metadata["emgkit.version"] ?? "unknown" };
}
