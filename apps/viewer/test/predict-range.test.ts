import { CharacterErrorRates, editOps } from "@emgkit/cer-metrics";
import { CTCBeamDecoder } from "@emgkit/ctc";
import { LabelData } from "@emgkit/emg-io";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import {
  alignmentSpans,
  emissionSample,
  spanCounts,
  timedDecoding,
  timedGroundTruth,
} from "../src/predict/alignment.js";
import { frameGeometry } from "../src/predict/features.js";
import {
  decodeInChunks,
  greedyText,
  rangeTruth,
  runRange,
  scoreDecoding,
} from "../src/predict/range-run.js";
import {
  batchEmissions,
  maxAbsDiff,
  memorySource,
  SMALL_SPEC,
  syntheticEmg,
  tinyModels,
} from "./predict-helpers.js";

describe("alignment spans", () => {
  it("colours a hand-made decoding exactly: one substitution, insertion and deletion", () => {
    const prediction = {
      text: "hxllo wrld!",
      samples: Array.from({ length: 11 }, (_, i) => 100 * i),
    };
    const target = {
      text: "hello world",
      samples: Array.from({ length: 11 }, (_, j) => 1000 + 100 * j),
    };
    const spans = alignmentSpans(prediction, target);
    const match = (p: number, t: number, c: string) => ({
      kind: "match",
      predicted: c,
      predictedIndex: p,
      target: c,
      targetIndex: t,
      sample: 100 * p,
    });
    expect(spans).toEqual([
      match(0, 0, "h"),
      {
        kind: "substitution",
        predicted: "x",
        predictedIndex: 1,
        target: "e",
        targetIndex: 1,
        sample: 100,
      },
      match(2, 2, "l"),
      match(3, 3, "l"),
      match(4, 4, "o"),
      match(5, 5, " "),
      match(6, 6, "w"),
      { kind: "insertion", target: "o", targetIndex: 7, sample: 1700 },
      match(7, 8, "r"),
      match(8, 9, "l"),
      match(9, 10, "d"),
      { kind: "deletion", predicted: "!", predictedIndex: 10, sample: 1000 },
    ]);
    expect(spanCounts(spans)).toEqual(editOps(prediction.text, target.text));
  });

  it("handles empty texts and charset symbols (code points)", () => {
    expect(alignmentSpans({ text: "", samples: [] }, { text: "", samples: [] })).toEqual([]);
    const spans = alignmentSpans(
      { text: "ab⌫", samples: [1, 2, 3] },
      { text: "⇧ab", samples: [5, 6, 7] },
    );
    expect(spans.map((s) => s.kind)).toEqual(["insertion", "match", "match", "deletion"]);
    expect(spans[3]).toEqual({ kind: "deletion", predicted: "⌫", predictedIndex: 2, sample: 3 });
    expect(spans[0]).toEqual({ kind: "insertion", target: "⇧", targetIndex: 0, sample: 5 });
  });

  it("places decoded characters at their emission and keys at their press", () => {
    const geometry = frameGeometry({ logSpectrogram: { nFft: 64, hopLength: 16 } });
    const timing = { stride: 1, offset: 4 };
    // Emission 10 sees frames 10..18, centred on frame 14: samples 224..287, centre 255.5.
    expect(emissionSample(10, timing, geometry, 1000)).toBe(1255.5);
    const decoded = timedDecoding({ text: "ab", timestamps: [0, 10] }, timing, geometry, 1000);
    expect(Array.from(decoded.samples)).toEqual([1000 + 64 + 31.5, 1255.5]);
    const times = [10, 10.5, 11, 11.5];
    const truth = timedGroundTruth({ text: "xy", timestamps: [10.2, 11.5] }, times, 500);
    expect(Array.from(truth.samples)).toEqual([501, 503]);
  });
});

describe("runRange", () => {
  const emg = syntheticEmg(6000, 11);
  const source = memorySource(emg, (startT, endT) => {
    const t0 = 1_600_000_000;
    const keys = [
      ["t", t0 + 0.5],
      ["h", t0 + 1.0],
      ["e", t0 + 1.5],
      [" ", t0 + 2.0],
    ] as const;
    const inside = keys.filter(([, t]) => t >= startT && t <= endT);
    return new LabelData(
      inside.map(([k]) => k).join(""),
      inside.map(([, t]) => t),
    );
  });

  for (const kind of ["tds", "tcn", "gru", "causalTransformer", "bilstm", "transformer"] as const) {
    it(`${kind}: chunked over a range equals one forward over it, no tensors left`, async () => {
      const before = tf.memory().numTensors;
      const model = tinyModels[kind]();
      const range = { start: 500, end: 5500 };
      const reference = batchEmissions(model, emg.slice(range.start * 32, range.end * 32));
      let pauses = 0;
      const progress: number[] = [];
      const result = await runRange(model, source, range, SMALL_SPEC, {
        chunkSamples: 777,
        pause: async () => {
          pauses++;
        },
        onProgress: (done, total) => progress.push(done / total),
      });
      expect(result.count * result.classes).toBe(reference.length);
      expect(maxAbsDiff(result.emissions, reference)).toBeLessThan(1e-4);
      expect(result.exact).toBe(true);
      expect(pauses).toBe(Math.ceil(5000 / 777));
      expect(progress.at(-1)).toBe(1);
      expect(result.times[0]).toBe(source.t0 + 0.25);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it("runs a bidirectional model in windows with context when the range is longer than one", async () => {
    const model = tinyModels.bilstm();
    const reference = batchEmissions(model, emg);
    const result = await runRange(model, source, { start: 0, end: 6000 }, SMALL_SPEC, {
      window: { windowFrames: 100, contextFrames: 40 },
    });
    expect(result.count * result.classes).toBe(reference.length);
    expect(result.exact).toBe(false);
    // The first window's own frames see their whole left context: exact up to its right edge's influence.
    expect(
      maxAbsDiff(result.emissions.subarray(0, 50 * 99), reference.subarray(0, 50 * 99)),
    ).toBeLessThan(1e-3);
    model.dispose();
  });

  it("decodes greedily and by beam, in chunks, and scores against the range's ground truth", async () => {
    const model = tinyModels.tds();
    const result = await runRange(model, source, { start: 0, end: 6000 }, SMALL_SPEC);
    const greedy = greedyText(result);
    const beam = await decodeInChunks(new CTCBeamDecoder({ beamSize: 4 }), result, {
      chunkFrames: 37,
    });
    const whole = new CTCBeamDecoder({ beamSize: 4 });
    const once = whole.decode(
      result.emissions,
      Float64Array.from({ length: result.count }, (_, i) => i),
      true,
    );
    expect(beam.text).toBe(once.text);
    const target = rangeTruth(source, result);
    expect(target.text).toBe("the ");
    expect(Array.from(target.samples)).toEqual([1000, 2000, 3000, 4000]);
    for (const decoded of [greedy, beam]) {
      const scored = scoreDecoding(decoded, target, result);
      const rates = new CharacterErrorRates();
      rates.update(decoded.text, "the ");
      expect(scored.rates).toEqual(rates.compute());
      expect(spanCounts(scored.spans)).toEqual(editOps(decoded.text, "the "));
      expect(scored.prediction.samples.length).toBe([...decoded.text].length);
    }
    model.dispose();
  });
});
