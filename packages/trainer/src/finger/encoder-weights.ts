/**
 * A finger encoder's weights as safetensors bytes (browser-safe): tensors `encoder.*` as in the
 * model's parameter tree, and in `__metadata__` the format tag, the encoder config and the
 * feature options the encoder was trained on (a classifier built on it must use the same).
 */
import {
  decodeSafetensors,
  encodeSafetensors,
  flatten,
  type HostTensor,
  WeightsFormatError,
} from "@emgkit/models";
import * as tf from "@tensorflow/tfjs-core";
import type { FingerFeatureOptions } from "./features.js";
import type { FingerEncoderConfig, FingerEncoderParams } from "./model.js";

/** `__metadata__.format` of finger encoder files. */
export const FINGER_ENCODER_FORMAT = "emgkit-finger-encoder/1";

/** What an encoder file holds besides its tensors. */
export interface FingerEncoderFile {
  config: FingerEncoderConfig;
  features: Required<FingerFeatureOptions>;
  /** Free-form notes (how it was pretrained: steps, seconds, sessions, last loss). */
  info: Record<string, unknown>;
  /** Tensors by name, `encoder.` prefix included. */
  tensors: Map<string, HostTensor>;
}

/** Safetensors bytes of an encoder's parameters and its config. */
export function encodeFingerEncoder(
  params: FingerEncoderParams,
  config: FingerEncoderConfig,
  features: Required<FingerFeatureOptions>,
  info: Record<string, unknown> = {},
): Uint8Array<ArrayBuffer> {
  const tensors = flatten<tf.Variable>(params, "encoder").map(
    ([name, variable]): [string, HostTensor] => [
      name,
      { shape: variable.shape, data: Float32Array.from(variable.dataSync()) },
    ],
  );
  return encodeSafetensors(tensors, {
    format: FINGER_ENCODER_FORMAT,
    config: JSON.stringify(config),
    features: JSON.stringify(features),
    info: JSON.stringify(info),
  });
}

/** Reads encoder bytes; a file of another format throws a one-line `WeightsFormatError`. */
export function decodeFingerEncoder(bytes: Uint8Array): FingerEncoderFile {
  const { metadata, tensors } = decodeSafetensors(bytes);
  if (metadata.format !== FINGER_ENCODER_FORMAT) {
    throw new WeightsFormatError(
      `not a finger encoder file (format ${JSON.stringify(metadata.format ?? null)}, expected ${FINGER_ENCODER_FORMAT})`,
    );
  }
  const parse = (key: string) => {
    try {
      return JSON.parse(metadata[key] ?? "");
    } catch {
      throw new WeightsFormatError(`finger encoder file: metadata "${key}" is not JSON`);
    }
  };
  return {
    config: parse("config") as FingerEncoderConfig,
    features: parse("features") as Required<FingerFeatureOptions>,
    info: (metadata.info === undefined ? {} : parse("info")) as Record<string, unknown>,
    tensors,
  };
}

/**
 * Overwrites an encoder's parameters with a file's tensors; names and shapes must match
 * exactly, both ways (checked before anything is written).
 */
export function assignFingerEncoder(
  params: FingerEncoderParams,
  tensors: Map<string, HostTensor>,
): void {
  const entries = flatten<tf.Variable>(params, "encoder");
  const expected = new Set(entries.map(([name]) => name));
  const unknown = [...tensors.keys()].filter((name) => !expected.has(name));
  const missing = [...expected].filter((name) => !tensors.has(name));
  if (unknown.length > 0 || missing.length > 0) {
    throw new WeightsFormatError(
      `finger encoder file does not fit the encoder: ${[
        missing.length > 0 ? `missing ${missing.join(", ")}` : "",
        unknown.length > 0 ? `unknown ${unknown.join(", ")}` : "",
      ]
        .filter(Boolean)
        .join("; ")}`,
    );
  }
  for (const [name, variable] of entries) {
    const { shape } = tensors.get(name) as HostTensor;
    if (!tf.util.arraysEqual(shape, variable.shape)) {
      throw new WeightsFormatError(
        `tensor "${name}" has shape [${shape}], the encoder expects [${variable.shape}]`,
      );
    }
  }
  for (const [name, variable] of entries) {
    const { shape, data } = tensors.get(name) as HostTensor;
    tf.tidy(() => variable.assign(tf.tensor(data, shape)));
  }
}
