/**
 * The model both panels use: found in the served folder (runs and .safetensors files) or
 * dropped, loaded once, shared through an Observable. Language models (.arpa, .arpa.gz) too.
 */
import { NGramLM } from "@emgkit/ctc";
import {
  countParams,
  type EmgModel,
  modelFromWeights,
  type StreamMode,
  streamMode,
} from "@emgkit/models";
import { type FileEntry, type FileSource, Observable } from "../app-context.js";
import { ensureBackend } from "./backend.js";
import { type InputSpec, inputSpecFor, parseRunConfig, type RunConfig } from "./run-config.js";

/** A model the viewer can load: a run folder's best checkpoint, or a weights file. */
export interface ModelChoice {
  /** Shown in the picker. */
  label: string;
  weightsPath: string;
  /** The run's config.yaml, when there is one. */
  configPath: string | null;
}

/** A language model file of the served folder. */
export interface LmChoice {
  label: string;
  path: string;
}

/** Where a loaded model came from and how to feed it. */
export interface LoadedModel {
  name: string;
  model: EmgModel;
  spec: InputSpec;
  run: RunConfig | null;
  mode: StreamMode;
  params: number;
}

/** The model both panels use (null: none loaded). */
export const currentModel = new Observable<LoadedModel | null>(null);
/** The language model the beam decoder uses (null: none). */
export const currentLm = new Observable<{ name: string; lm: NGramLM } | null>(null);

const MAX_LISTINGS = 60;

/**
 * Runs and weights files of the served folder, breadth first to three levels (a run's
 * `checkpoints/best.safetensors`; an experiment's `runs/<name>`), and the .arpa files met.
 */
export async function findServedModels(
  files: FileSource,
): Promise<{ models: ModelChoice[]; lms: LmChoice[] }> {
  const models: ModelChoice[] = [];
  const lms: LmChoice[] = [];
  const queue: Array<{ dir: string; depth: number }> = [{ dir: "", depth: 0 }];
  let listings = 0;
  while (queue.length > 0 && listings < MAX_LISTINGS) {
    const { dir, depth } = queue.shift() as { dir: string; depth: number };
    let entries: FileEntry[];
    try {
      entries = await files.list(dir);
    } catch {
      continue;
    }
    listings++;
    for (const entry of entries) {
      if (entry.kind === "run") {
        models.push({
          label: `${entry.path} (run)`,
          weightsPath: `${entry.path}/checkpoints/best.safetensors`,
          configPath: `${entry.path}/config.yaml`,
        });
      } else if (entry.kind === "model" && !entry.path.includes("/checkpoints/")) {
        models.push({ label: entry.path, weightsPath: entry.path, configPath: null });
      } else if (/\.arpa(\.gz)?$/i.test(entry.name)) {
        lms.push({ label: entry.path, path: entry.path });
      } else if ((entry.kind === "dir" || entry.kind === "experiment") && depth < 3) {
        queue.push({ dir: entry.path, depth: depth + 1 });
      }
    }
  }
  return { models, lms };
}

/** Builds the model of a weights file and how to feed it (its run config, or inferred). */
export async function loadModel(
  name: string,
  weights: ArrayBuffer,
  configText: string | null,
): Promise<LoadedModel> {
  await ensureBackend();
  const run = configText === null ? null : parseRunConfig(configText);
  const model = modelFromWeights(weights);
  try {
    const spec = inputSpecFor(model.config as object, run ?? undefined);
    return { name, model, spec, run, mode: streamMode(model), params: countParams(model.params) };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** Loads a served model choice (its config.yaml if it can be read). */
export async function loadServedModel(
  files: FileSource,
  choice: ModelChoice,
): Promise<LoadedModel> {
  const weights = await files.read(choice.weightsPath);
  let configText: string | null = null;
  if (choice.configPath !== null) {
    try {
      configText = new TextDecoder().decode(await files.read(choice.configPath));
    } catch {
      configText = null;
    }
  }
  return loadModel(choice.label, weights, configText);
}

/** Makes `loaded` the current model, disposing the one it replaces (after listeners let go). */
export function setCurrentModel(loaded: LoadedModel | null): void {
  const previous = currentModel.get();
  currentModel.set(loaded);
  if (previous !== null && previous !== loaded) previous.model.dispose();
}

/** The bytes of an .arpa file, gunzipped when its name ends in .gz. */
export async function arpaBytes(name: string, bytes: ArrayBuffer): Promise<Uint8Array> {
  if (!/\.gz$/i.test(name)) return new Uint8Array(bytes);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Parses a language model file (one-line error when it is not ARPA). */
export async function loadLm(name: string, bytes: ArrayBuffer): Promise<NGramLM> {
  try {
    return NGramLM.fromArpa(await arpaBytes(name, bytes));
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message.split("\n")[0]}`);
  }
}

/** One line describing a loaded model. */
export function describeModel(loaded: LoadedModel): string {
  const { model, spec, mode } = loaded;
  const { nFft, hopLength } = spec.transforms.logSpectrogram;
  const parts = [
    `${model.kind}`,
    `${(loaded.params / 1e6).toFixed(2)} M parameters`,
    Number.isFinite(model.receptiveField)
      ? `receptive field ${model.receptiveField} frames`
      : "unbounded receptive field",
    `inputs: n_fft ${nFft}, hop ${hopLength}` +
      (spec.transforms.electrodes ? `, ${spec.transforms.electrodes.count} electrodes` : "") +
      (spec.transforms.sampleRate ? `, ${spec.transforms.sampleRate} Hz` : "") +
      ` (${spec.source})`,
    mode.kind === "bidirectional" ? "bidirectional: no streaming" : "causal: streams",
  ];
  return parts.join(" · ");
}
