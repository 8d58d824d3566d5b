import * as tf from "@tensorflow/tfjs-core";
import type { EmgModel } from "../model.js";
import { createModel } from "../models/registry.js";
import { flatten } from "../params.js";
import { manifestMetadata, readManifest, type WeightsManifest } from "./manifest.js";
import {
  decodeSafetensors,
  encodeSafetensors,
  type HostTensor,
  WeightsFormatError,
} from "./safetensors.js";

/** The raw bytes of a weights file, as `fetch`, `FileReader` or `fs.readFile` give them. */
export type WeightsBytes = ArrayBuffer | ArrayBufferView;

/** Every parameter and buffer of a model with its state_dict name. */
function stateEntries(model: EmgModel): Array<[string, tf.Tensor]> {
  return [...flatten(model.params), ...flatten(model.buffers)];
}

/** A model's parameters and buffers as safetensors (all F32), with its manifest in `__metadata__`. */
export function saveWeights(model: EmgModel): Uint8Array<ArrayBuffer> {
  const tensors = stateEntries(model).map(([name, tensor]): [string, HostTensor] => [
    name,
    { shape: tensor.shape, data: Float32Array.from(tensor.dataSync()) },
  ]);
  return encodeSafetensors(tensors, manifestMetadata(model));
}

/** Reads a weights file without building a model: its manifest and float32 tensors by name. */
export function loadWeights(bytes: WeightsBytes): {
  manifest: WeightsManifest;
  tensors: Map<string, HostTensor>;
} {
  const view = ArrayBuffer.isView(bytes)
    ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    : new Uint8Array(bytes);
  const { metadata, tensors } = decodeSafetensors(view);
  return { manifest: readManifest(metadata), tensors };
}

/**
 * Overwrites a model's parameters and buffers with `tensors`; the names must
 * match the model's exactly, both ways, and the shapes too.
 */
export function assignWeights(model: EmgModel, tensors: Map<string, HostTensor>): void {
  const entries = stateEntries(model);
  const expected = new Set(entries.map(([name]) => name));
  const unknown = [...tensors.keys()].filter((name) => !expected.has(name));
  if (unknown.length > 0) {
    throw new WeightsFormatError(
      `unknown tensors for a ${model.kind} model: ${unknown.join(", ")}`,
    );
  }
  const missing = entries.filter(([name]) => !tensors.has(name)).map(([name]) => name);
  if (missing.length > 0) {
    throw new WeightsFormatError(
      `missing tensors for a ${model.kind} model: ${missing.join(", ")}`,
    );
  }
  for (const [name, target] of entries) {
    const { shape } = tensors.get(name) as HostTensor;
    if (shape.length !== target.shape.length || shape.some((size, i) => size !== target.shape[i])) {
      throw new WeightsFormatError(
        `tensor "${name}" has shape [${shape}], the ${model.kind} model expects [${target.shape}]`,
      );
    }
  }
  for (const [name, target] of entries) {
    const { shape, data } = tensors.get(name) as HostTensor;
    // Parameters and buffers are variables; buffers may be int32 (num_batches_tracked).
    tf.tidy(() => (target as tf.Variable).assign(tf.cast(tf.tensor(data, shape), target.dtype)));
  }
}

/** Builds the model a weights file describes (kind and config via the registry) and loads its tensors. */
export function modelFromWeights(bytes: WeightsBytes): EmgModel {
  const { manifest, tensors } = loadWeights(bytes);
  const model = createModel(manifest.kind, manifest.config as object);
  try {
    assignWeights(model, tensors);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

/** `modelFromWeights` for a browser `Blob`/`File` (a download or an `<input type="file">`). */
export async function modelFromBlob(blob: Blob): Promise<EmgModel> {
  return modelFromWeights(await blob.arrayBuffer());
}
