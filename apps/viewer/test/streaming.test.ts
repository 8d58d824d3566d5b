import { concatFloat32 } from "@emgkit/models";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import {
  CHUNK_SAMPLES,
  LatencyStats,
  ReplayClock,
  StreamingDecoder,
  streamingRefusal,
} from "../src/predict/streaming.js";
import {
  batchEmissions,
  maxAbsDiff,
  SMALL_SPEC,
  syntheticEmg,
  tinyModels,
} from "./predict-helpers.js";

/** Feeds `emg` in 40 ms chunks; returns every emission, concatenated. */
function stream(decoder: StreamingDecoder, emg: Float32Array): Float32Array {
  for (let at = 0; at < emg.length; at += CHUNK_SAMPLES * 32) {
    decoder.feed(emg.subarray(at, at + CHUNK_SAMPLES * 32));
  }
  return concatFloat32(decoder.emissions);
}

describe("StreamingDecoder", () => {
  const emg = syntheticEmg(2000 + 37); // 1 s and a bit: several chunks, a ragged end
  const causal = ["tds", "cnn", "tcn", "lstm", "gru", "causalTransformer"] as const;

  for (const kind of causal) {
    it(`${kind}: 40 ms chunks give the batch forward's emissions`, () => {
      const before = tf.memory().numTensors;
      const model = tinyModels[kind]();
      const reference = batchEmissions(model, emg);
      const decoder = new StreamingDecoder(model, SMALL_SPEC, true);
      const streamed = stream(decoder, emg);
      expect(streamed.length).toBe(reference.length);
      expect(reference.length).toBeGreaterThan(0);
      expect(maxAbsDiff(streamed, reference)).toBeLessThan(1e-4);
      expect(decoder.engine.exact).toBe(true);
      decoder.dispose();
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it("refuses a bidirectional model with one line", () => {
    const model = tinyModels.bilstm();
    const refusal = streamingRefusal(model);
    expect(refusal).toMatch(/bidirectional LSTM/);
    expect(refusal).not.toContain("\n");
    expect(() => new StreamingDecoder(model, SMALL_SPEC)).toThrow(refusal as string);
    model.dispose();
  });

  it("decodes greedily as it goes: the text only grows by what the new emissions add", () => {
    const model = tinyModels.tcn();
    const decoder = new StreamingDecoder(model, SMALL_SPEC);
    let previous = "";
    for (let at = 0; at < emg.length; at += CHUNK_SAMPLES * 32) {
      const step = decoder.feed(emg.subarray(at, at + CHUNK_SAMPLES * 32));
      expect(step.text.startsWith(previous)).toBe(true);
      previous = step.text;
    }
    decoder.dispose();
    model.dispose();
  });

  it("reports its algorithmic delay: half a window, plus half the field ahead for valid convs", () => {
    const tcn = tinyModels.tcn();
    const tds = tinyModels.tds();
    const causal = new StreamingDecoder(tcn, SMALL_SPEC);
    const valid = new StreamingDecoder(tds, SMALL_SPEC);
    expect(causal.algorithmicDelayMs).toBeCloseTo(31.5 / 2, 6); // (64 - 1) / 2 samples
    expect(valid.algorithmicDelayMs).toBeCloseTo(15.75 + (4 * 16) / 2, 6); // field 9: 4 frames
    causal.dispose();
    valid.dispose();
    tcn.dispose();
    tds.dispose();
  });
});

describe("ReplayClock", () => {
  it("plays at a speed, pauses and resumes", () => {
    const clock = new ReplayClock(1000, 2);
    expect(clock.sampleAt(0)).toBe(1000);
    clock.play(100);
    expect(clock.sampleAt(600)).toBe(1000 + 2000); // 0.5 s at 2x
    clock.pause(600);
    expect(clock.sampleAt(5000)).toBe(3000);
    clock.play(6000);
    clock.setSpeed(4, 6250); // 0.25 s at 2x more: 1000 samples
    expect(clock.sampleAt(6250)).toBe(4000);
    expect(clock.sampleAt(6500)).toBe(4000 + 2000); // 0.25 s at 4x
    expect(clock.wallTimeOf(5000)).toBe(6500);
  });
});

describe("LatencyStats", () => {
  it("gives last, mean, nearest-rank p95 and max", () => {
    const stats = new LatencyStats();
    expect(Number.isNaN(stats.mean)).toBe(true);
    for (let i = 1; i <= 20; i++) stats.add(i);
    expect(stats.last).toBe(20);
    expect(stats.mean).toBe(10.5);
    expect(stats.percentile(95)).toBe(19);
    expect(stats.max).toBe(20);
  });
});
