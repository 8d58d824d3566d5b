import { decimate, transformsInputShape } from "@emgkit/emg-transforms";
import { describe, expect, it } from "vitest";
import {
  frameCenterSample,
  frameGeometry,
  StreamingDecimator,
  StreamingFeatures,
  windowInputs,
} from "../src/predict/features.js";
import {
  inferTransforms,
  inputMismatch,
  inputSpecFor,
  parseRunConfig,
} from "../src/predict/run-config.js";
import { syntheticEmg } from "./predict-helpers.js";

const RUN_CONFIG = `
seed: 1501
model:
  kind: tds
  config:
    mlpFeatures: [384]
transforms:
  train:
    bandRotation: { offsets: [-1, 0, 1] }
    electrodes: { count: 8, strategy: contiguous, start: 2 }
    sampleRate: 1000
    logSpectrogram: { nFft: 32, hopLength: 8 }
    specAugment: { nTimeMasks: 3, timeMaskParam: 25, nFreqMasks: 2, freqMaskParam: 4 }
  eval:
    electrodes: { count: 8, strategy: contiguous, start: 2 }
    sampleRate: 1000
    logSpectrogram: { nFft: 32, hopLength: 8 }
decoder:
  kind: beam
  beam_size: 20
  max_labels_per_timestep: 5
  lm: default
  lm_weight: 1.5
  insertion_bonus: 1
  delete_key: Key.backspace
`;

describe("run config", () => {
  it("reads the eval transforms, the model kind and the beam settings of config.yaml", () => {
    const run = parseRunConfig(RUN_CONFIG);
    expect(run.modelKind).toBe("tds");
    expect(run.evalTransforms).toEqual({
      electrodes: { count: 8, strategy: "contiguous", start: 2 },
      sampleRate: 1000,
      logSpectrogram: { nFft: 32, hopLength: 8 },
    });
    expect(run.beam).toEqual({
      beamSize: 20,
      maxLabelsPerTimestep: 5,
      lmWeight: 1.5,
      insertionBonus: 1,
      deleteKey: "Key.backspace",
    });
    expect(parseRunConfig("decoder: { kind: greedy }").beam).toBeUndefined();
    expect(() => parseRunConfig("- a list")).toThrow("not a YAML mapping");
  });

  it("gives the input shape the config makes, and checks it against the model", () => {
    const run = parseRunConfig(RUN_CONFIG);
    const spec = inputSpecFor({ inFeatures: 8 * 17, electrodeChannels: 8 }, run);
    expect(spec.source).toBe("config.yaml");
    expect(transformsInputShape(spec.transforms)).toEqual({
      bands: 2,
      electrodes: 8,
      freqBins: 17,
    });
    const emg = syntheticEmg(3000);
    const inputs = windowInputs(emg, spec.transforms);
    // 1500 samples at 1 kHz, nFft 32, hop 8: 1 + floor((1500 - 32) / 8) frames of (2, 8, 17).
    expect(inputs.frames).toBe(184);
    expect(inputs.data.length).toBe(184 * 2 * 8 * 17);
    expect(() => inputSpecFor({ inFeatures: 528 }, run)).toThrow(
      "config.yaml does not fit the model: the transforms make (2, 8, 17) frames; the model takes (2, 16, 33)",
    );
  });

  it("infers transforms from a bare model's input size", () => {
    expect(inferTransforms({ inFeatures: 528 })).toEqual({
      transforms: { logSpectrogram: { nFft: 64, hopLength: 16 } },
      source: "default",
    });
    expect(inferTransforms({ inFeatures: 4 * 33, electrodeChannels: 4 })).toEqual({
      transforms: {
        electrodes: { count: 4, strategy: "spread" },
        logSpectrogram: { nFft: 64, hopLength: 16 },
      },
      source: "inferred",
    });
    expect(inferTransforms({ inFeatures: 16 * 9 })).toEqual({
      transforms: { sampleRate: 500, logSpectrogram: { nFft: 16, hopLength: 4 } },
      source: "inferred",
    });
    expect(() => inferTransforms({ inFeatures: 16 * 7 })).toThrow(/no known spectrogram/);
    expect(
      inputMismatch({ logSpectrogram: { nFft: 64, hopLength: 16 } }, { inFeatures: 528 }),
    ).toBe(null);
  });
});

describe("StreamingFeatures", () => {
  const emg = syntheticEmg(4321, 7);
  const configs = {
    "log-spectrogram": { logSpectrogram: { nFft: 64, hopLength: 16 } },
    "4 electrodes": {
      electrodes: { count: 4, strategy: "spread" as const },
      logSpectrogram: { nFft: 64, hopLength: 16 },
    },
    "500 Hz, 6 contiguous electrodes": {
      electrodes: { count: 6, strategy: "contiguous" as const, start: 13 },
      sampleRate: 500,
      logSpectrogram: { nFft: 16, hopLength: 4 },
    },
    "1 kHz": { sampleRate: 1000, logSpectrogram: { nFft: 32, hopLength: 8 } },
  };
  for (const [name, transforms] of Object.entries(configs)) {
    it(`${name}: chunks of any size give augmentWindow's frames exactly`, () => {
      const reference = windowInputs(emg, transforms);
      const features = new StreamingFeatures(transforms);
      const sizes = [1, 80, 7, 333, 80, 1000];
      const parts: Float32Array[] = [];
      let frames = 0;
      for (let at = 0, k = 0; at < 4321; k++) {
        const size = sizes[k % sizes.length] as number;
        const out = features.push(emg.subarray(at * 32, Math.min(4321, at + size) * 32));
        parts.push(out.data);
        frames += out.frames;
        at += size;
      }
      const rest = features.finish();
      parts.push(rest.data);
      frames += rest.frames;
      expect(frames).toBe(reference.frames);
      const data = new Float32Array(reference.data.length);
      let offset = 0;
      for (const part of parts) {
        data.set(part, offset);
        offset += part.length;
      }
      expect(data).toEqual(reference.data);
    });
  }

  it("decimates in chunks exactly as decimate does in one pass, short signals included", () => {
    for (const samples of [5, 40, 1001]) {
      const signal = syntheticEmg(samples, 3).subarray(0, samples * 2);
      const reference = decimate(signal, 2, 4);
      const decimator = new StreamingDecimator(2, 4);
      const parts = [decimator.push(signal.subarray(0, 6)), decimator.push(signal.subarray(6))];
      parts.push(decimator.finish());
      expect(Float32Array.from(parts.flatMap((p) => [...p]))).toEqual(reference.data);
    }
  });

  it("places frames on the 2 kHz axis", () => {
    const geometry = frameGeometry({ sampleRate: 500, logSpectrogram: { nFft: 16, hopLength: 4 } });
    expect(geometry).toEqual({ factor: 4, hop: 16, window: 64, electrodes: 16, freqs: 9 });
    // Frame 2 covers 500 Hz samples 8..23, i.e. 2 kHz samples 32..92: centre 62.
    expect(frameCenterSample(2, geometry)).toBe(62);
    expect(
      frameCenterSample(0, frameGeometry({ logSpectrogram: { nFft: 64, hopLength: 16 } })),
    ).toBe(31.5);
  });
});
