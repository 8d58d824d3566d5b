/**
 * What a run folder says about running its model: the eval transforms (how a window of raw EMG
 * becomes the model's inputs) and the decoder settings, read from its `config.yaml`; or, for a
 * bare weights file, the transforms its model's input size implies. No DOM, no tfjs.
 */
import {
  type AugmentConfig,
  EMG2QWERTY_EVAL_TRANSFORMS,
  SUPPORTED_EMG_RATES,
  spectrogramParamsForRate,
  transformsInputShape,
} from "@emgkit/emg-transforms";
import { parse } from "yaml";

/** The beam decoder settings of a run's `decoder` section (configs/decoder/ctc_beam.yaml). */
export interface BeamSettings {
  beamSize: number;
  maxLabelsPerTimestep: number;
  lmWeight: number;
  insertionBonus: number;
  deleteKey: string | null;
}

/** emg2qwerty's config/decoder/ctc_beam.yaml. */
export const DEFAULT_BEAM_SETTINGS: BeamSettings = {
  beamSize: 50,
  maxLabelsPerTimestep: 10,
  lmWeight: 2,
  insertionBonus: 2,
  deleteKey: "Key.backspace",
};

/** How to turn a session into a model's inputs, and where that came from. */
export interface InputSpec {
  /**
   * The steps of the eval transforms that apply at inference: electrodes, sampleRate and
   * logSpectrogram (random augmentations are dropped).
   */
  transforms: AugmentConfig;
  /** `config.yaml`, emg2qwerty's default (n_fft 64, hop 16), or inferred from the model's input size. */
  source: "config.yaml" | "default" | "inferred";
}

/** What the viewer reads of a run's `config.yaml`. */
export interface RunConfig {
  /** Absent when the file has no `transforms.eval`. */
  evalTransforms?: AugmentConfig;
  /** The model kind the run trained (`model.kind`), if given. */
  modelKind?: string;
  /** Present when the run decodes with a beam (`decoder.kind: beam`). */
  beam?: BeamSettings;
}

type Tree = Record<string, unknown>;

const isTree = (value: unknown): value is Tree =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function numberOr(value: unknown, fallback: number): number {
  const n = Number(value);
  return value === undefined || value === null || !Number.isFinite(n) ? fallback : n;
}

/** Parses a run's `config.yaml`; throws a one-line error on YAML that is not a mapping. */
export function parseRunConfig(text: string): RunConfig {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new Error(`config.yaml: ${(error as Error).message.split("\n")[0]}`);
  }
  if (value === null || value === undefined) return {};
  if (!isTree(value)) throw new Error("config.yaml is not a YAML mapping");
  const out: RunConfig = {};
  const transforms = value.transforms;
  if (isTree(transforms) && isTree(transforms.eval)) {
    out.evalTransforms = inferenceTransforms(transforms.eval as unknown as AugmentConfig);
  }
  if (isTree(value.model) && typeof value.model.kind === "string") {
    out.modelKind = value.model.kind;
  }
  const decoder = value.decoder;
  if (isTree(decoder) && decoder.kind === "beam") {
    out.beam = {
      beamSize: numberOr(decoder.beam_size, DEFAULT_BEAM_SETTINGS.beamSize),
      maxLabelsPerTimestep: numberOr(
        decoder.max_labels_per_timestep,
        DEFAULT_BEAM_SETTINGS.maxLabelsPerTimestep,
      ),
      lmWeight: numberOr(decoder.lm_weight, DEFAULT_BEAM_SETTINGS.lmWeight),
      insertionBonus: numberOr(decoder.insertion_bonus, DEFAULT_BEAM_SETTINGS.insertionBonus),
      deleteKey:
        decoder.delete_key === null
          ? null
          : typeof decoder.delete_key === "string"
            ? decoder.delete_key
            : DEFAULT_BEAM_SETTINGS.deleteKey,
    };
  }
  return out;
}

/**
 * The deterministic steps of a transforms config (electrode subset, resampling, log-spectrogram):
 * what evaluation applies. Throws a one-line error when `logSpectrogram` is missing.
 */
export function inferenceTransforms(config: AugmentConfig): AugmentConfig {
  if (!isTree(config.logSpectrogram)) {
    throw new Error("transforms.eval has no logSpectrogram { nFft, hopLength }");
  }
  const out: AugmentConfig = {
    logSpectrogram: {
      nFft: Number(config.logSpectrogram.nFft),
      hopLength: Number(config.logSpectrogram.hopLength),
    },
  };
  if (config.electrodes) out.electrodes = { ...config.electrodes };
  if (config.sampleRate !== undefined) out.sampleRate = Number(config.sampleRate);
  return out;
}

/** The input size fields every model config has (`electrodeChannels` defaults to 16). */
export interface ModelInputFields {
  inFeatures?: number;
  electrodeChannels?: number;
}

/**
 * Transforms for a model without a run config: emg2qwerty's eval transforms when they fit its
 * input size, else the electrodes it takes (spread) and the sample rate whose 32 ms window gives
 * its frequency bins ({@link spectrogramParamsForRate}). Throws a one-line error when no
 * supported rate fits.
 */
export function inferTransforms(config: ModelInputFields): InputSpec {
  const electrodes = config.electrodeChannels ?? 16;
  const inFeatures = config.inFeatures ?? 16 * 33;
  const bins = inFeatures / electrodes;
  const out: AugmentConfig = { logSpectrogram: { ...EMG2QWERTY_EVAL_TRANSFORMS.logSpectrogram } };
  if (electrodes !== 16) out.electrodes = { count: electrodes, strategy: "spread" };
  if (bins === 33) {
    return { transforms: out, source: electrodes === 16 ? "default" : "inferred" };
  }
  for (const rate of SUPPORTED_EMG_RATES) {
    const params = spectrogramParamsForRate(rate);
    if (params.nFft / 2 + 1 === bins) {
      return {
        transforms: { ...out, sampleRate: rate, logSpectrogram: params },
        source: "inferred",
      };
    }
  }
  throw new Error(
    `the model takes ${inFeatures} features per band over ${electrodes} electrodes ` +
      `(${bins} bins): no known spectrogram gives that; open its run folder (config.yaml)`,
  );
}

/**
 * Checks that `transforms` make the inputs the model takes; returns a one-line error, or null.
 */
export function inputMismatch(transforms: AugmentConfig, config: ModelInputFields): string | null {
  let shape: ReturnType<typeof transformsInputShape>;
  try {
    shape = transformsInputShape(transforms);
  } catch (error) {
    return `transforms.eval: ${(error as Error).message}`;
  }
  const electrodes = config.electrodeChannels ?? 16;
  const inFeatures = config.inFeatures ?? 16 * 33;
  if (shape.electrodes !== electrodes || shape.electrodes * shape.freqBins !== inFeatures) {
    return (
      `the transforms make (2, ${shape.electrodes}, ${shape.freqBins}) frames; the model takes ` +
      `(2, ${electrodes}, ${inFeatures / electrodes})`
    );
  }
  return null;
}

/** The input spec for a model: the run's eval transforms when known (checked), else inferred. */
export function inputSpecFor(config: ModelInputFields, run?: RunConfig): InputSpec {
  if (run?.evalTransforms) {
    const mismatch = inputMismatch(run.evalTransforms, config);
    if (mismatch !== null) throw new Error(`config.yaml does not fit the model: ${mismatch}`);
    return { transforms: run.evalTransforms, source: "config.yaml" };
  }
  return inferTransforms(config);
}
