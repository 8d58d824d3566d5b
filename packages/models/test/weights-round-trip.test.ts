import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { version } from "../package.json";
import type { EmgModel } from "../src/model.js";
import { modelKinds } from "../src/models/registry.js";
import { loadModelFile, saveWeightsFile } from "../src/weights/node.js";
import {
  decodeSafetensors,
  encodeSafetensors,
  WeightsFormatError,
} from "../src/weights/safetensors.js";
import {
  loadWeights,
  modelFromBlob,
  modelFromWeights,
  saveWeights,
} from "../src/weights/weights.js";
import { backends, useBackend } from "./layers-testing.js";
import { createTinyModel } from "./tiny-models.js";

function build(kind: string, seed: number): EmgModel {
  return createTinyModel(kind, seed);
}

/** An input batch that fits the model: its feature count, and frames for at least 4 outputs. */
function inputFor(model: EmgModel): tf.Tensor {
  const inFeatures = (model.config as { inFeatures?: number }).inFeatures ?? 528;
  let frames = 8;
  while (model.outputLength(frames) < 4) frames++;
  return tf.randomNormal([frames, 2, 2, 16, inFeatures / 16], 0, 1, "float32", 3);
}

/** Runs one training forward, so that BatchNorm running statistics move away from their init. */
function train(model: EmgModel, x: tf.Tensor): void {
  tf.dispose(model.forward(x, { training: true }));
}

for (const backend of backends) {
  describe(`weights round trip on ${backend}`, () => {
    beforeAll(() => useBackend(backend));

    for (const kind of modelKinds) {
      it(`${kind}: same eval output after save and load, manifest kept`, () => {
        const model = build(kind, 1);
        const x = inputFor(model);
        train(model, x);
        const expected = model.forward(x, { training: false });
        const bytes = saveWeights(model);
        const { manifest } = loadWeights(bytes);
        expect(manifest).toEqual({
          kind: model.kind,
          config: JSON.parse(JSON.stringify(model.config)),
          emgkitVersion: version,
        });
        const loaded = modelFromWeights(bytes);
        const actual = loaded.forward(x, { training: false });
        expect(Array.from(actual.dataSync())).toEqual(Array.from(expected.dataSync()));
        tf.dispose([x, expected, actual]);
        model.dispose();
        loaded.dispose();
      });
    }
  });
}

describe("weights files", () => {
  beforeAll(() => useBackend("cpu"));
  const directory = mkdtempSync(join(tmpdir(), "emgkit-weights-"));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("are safetensors: u64 header length, JSON header with __metadata__ strings, 8-byte aligned data", () => {
    const model = build("tds", 1);
    const bytes = saveWeights(model);
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    expect(header.__metadata__["emgkit.kind"]).toBe("tds");
    expect(header["model.4.weight"]).toEqual({
      dtype: "F32",
      shape: [99, 16],
      data_offsets: header["model.4.weight"].data_offsets,
    });
    const ends = Object.entries(header)
      .filter(([name]) => name !== "__metadata__")
      .map(([, entry]) => (entry as { data_offsets: number[] }).data_offsets[1] as number);
    expect(Math.max(...ends)).toBe(bytes.length - 8 - headerLength);
    model.dispose();
  });

  it("save to a path through a temporary file and load back, also from a Blob", async () => {
    const model = build("tds", 2);
    const path = join(directory, "tds.safetensors");
    writeFileSync(path, "an older checkpoint");
    await saveWeightsFile(path, model);
    expect(readdirSync(directory)).toEqual(["tds.safetensors"]);
    const x = inputFor(model);
    const expected = model.forward(x, { training: false }).dataSync();
    for (const loaded of [
      await loadModelFile(path),
      await modelFromBlob(new Blob([saveWeights(model)])),
    ]) {
      expect(Array.from(loaded.forward(x, { training: false }).dataSync())).toEqual(
        Array.from(expected),
      );
      loaded.dispose();
    }
    tf.dispose(x);
    model.dispose();
  });

  it("name the file in format errors", async () => {
    const path = join(directory, "broken.safetensors");
    writeFileSync(path, new Uint8Array(4));
    await expect(loadModelFile(path)).rejects.toThrow(`${path}: file of 4 bytes is too short`);
  });
});

/** A file with a hand-written header and `dataBytes` zero bytes of data. */
function fileWith(header: unknown, dataBytes = 0): Uint8Array {
  const json = new TextEncoder().encode(
    typeof header === "string" ? header : JSON.stringify(header),
  );
  const bytes = new Uint8Array(8 + json.length + dataBytes);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  return bytes;
}

const emgkitMetadata = { "emgkit.kind": "tds", "emgkit.config": "{}" };

describe("corrupt weights give one-line errors", () => {
  beforeAll(() => useBackend("cpu"));

  const cases: Array<[string, () => unknown, RegExp]> = [
    ["too short", () => loadWeights(new Uint8Array(3)), /3 bytes is too short for a header/],
    [
      "header length beyond the file",
      () => {
        const bytes = fileWith({ __metadata__: emgkitMetadata });
        new DataView(bytes.buffer).setBigUint64(0, 1_000_000n, true);
        return loadWeights(bytes);
      },
      /header length 1000000 does not fit a file of \d+ bytes/,
    ],
    ["bad JSON", () => loadWeights(fileWith('{"a": [1, 2')), /header is not valid JSON/],
    ["a JSON array", () => loadWeights(fileWith("[1, 2]")), /header is not a JSON object/],
    [
      "offsets out of range",
      () =>
        loadWeights(
          fileWith(
            {
              __metadata__: emgkitMetadata,
              w: { dtype: "F32", shape: [4], data_offsets: [0, 16] },
            },
            8,
          ),
        ),
      /tensor "w" data offsets \[0, 16\] fall outside 8 data bytes/,
    ],
    [
      "size not matching the shape",
      () =>
        loadWeights(
          fileWith(
            {
              __metadata__: emgkitMetadata,
              w: { dtype: "F32", shape: [3], data_offsets: [0, 16] },
            },
            16,
          ),
        ),
      /tensor "w" spans 16 bytes, not F32 \[3\]/,
    ],
    [
      "dtype not F32",
      () =>
        loadWeights(
          fileWith(
            { __metadata__: emgkitMetadata, w: { dtype: "F16", shape: [4], data_offsets: [0, 8] } },
            8,
          ),
        ),
      /tensor "w" has dtype F16; only F32/,
    ],
    [
      "entry without shape",
      () => loadWeights(fileWith({ __metadata__: emgkitMetadata, w: { dtype: "F32" } })),
      /tensor "w" lacks a valid dtype, shape or data_offsets/,
    ],
    [
      "no emgkit manifest",
      () => loadWeights(fileWith({ __metadata__: { format: "pt" } })),
      /lacks emgkit.kind or emgkit.config/,
    ],
    [
      "missing tensors",
      () => withTdsFile((header) => delete header["model.4.bias"]),
      /missing tensors for a tds model: model\.4\.bias/,
    ],
    [
      "unknown tensors",
      () =>
        withTdsFile((header) =>
          Object.assign(header, { "model.9.weight": header["model.4.bias"] }),
        ),
      /unknown tensors for a tds model: model\.9\.weight/,
    ],
    [
      "shape mismatch",
      () =>
        withTdsFile((header) => {
          (header["model.4.bias"] as { shape: number[] }).shape = [9, 11];
        }),
      /tensor "model\.4\.bias" has shape \[9,11\], the tds model expects \[99\]/,
    ],
  ];

  for (const [what, load, message] of cases) {
    it(what, () => {
      let error: unknown;
      try {
        load();
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(WeightsFormatError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("\n");
    });
  }

  it("leaks no tensors when loading fails, beyond what building a model leaves", () => {
    // Compared with a plain build + dispose rather than with zero: initializers may
    // leave their random source tensors behind, which is not the loader's doing.
    const buildStart = tf.memory().numTensors;
    build("tds", 1).dispose();
    const buildLeak = tf.memory().numTensors - buildStart;
    const before = tf.memory().numTensors;
    expect(() => withTdsFile((header) => delete header["model.4.bias"])).toThrow();
    // Two builds: the model that is saved and the one that refuses the edited file.
    expect(tf.memory().numTensors - before).toBe(2 * buildLeak);
  });
});

/** Saves a tiny TDS model, edits its header, and loads the result through the registry. */
function withTdsFile(edit: (header: Record<string, unknown>) => void): EmgModel {
  const model = build("tds", 1);
  const bytes = saveWeights(model);
  model.dispose();
  const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  edit(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const data = bytes.subarray(8 + headerLength);
  const edited = new Uint8Array(8 + json.length + data.length);
  new DataView(edited.buffer).setBigUint64(0, BigInt(json.length), true);
  edited.set(json, 8);
  edited.set(data, 8 + json.length);
  return modelFromWeights(edited);
}

describe("decodeSafetensors", () => {
  it("copies each tensor's own bytes from a Node Buffer that views a larger pool", () => {
    const encoded = encodeSafetensors(
      [
        ["a", { shape: [2], data: Float32Array.of(1.5, -2) }],
        ["b", { shape: [3], data: Float32Array.of(3, 4, 5) }],
      ],
      {},
    );
    // A small Buffer.from lives inside Node's shared pool, at a non-zero offset.
    const pooled = Buffer.from(encoded);
    const { tensors } = decodeSafetensors(pooled);
    expect([...(tensors.get("a")?.data ?? [])]).toEqual([1.5, -2]);
    expect([...(tensors.get("b")?.data ?? [])]).toEqual([3, 4, 5]);
    expect(tensors.get("b")?.data.buffer.byteLength).toBe(12);
  });
});
