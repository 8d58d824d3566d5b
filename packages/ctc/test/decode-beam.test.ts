import { charset } from "@emgkit/emg-io";
import { describe, expect, it } from "vitest";
import { type BeamHypothesis, CTCBeamDecoder } from "../src/decode/index.js";
import type { LanguageModel } from "../src/lm/language-model.js";
import { NGramLM } from "../src/lm/ngram-lm.js";
import {
  beamGolden,
  type GoldenBeamCase,
  type GoldenBeamOptions,
  type GoldenHypothesis,
  type GoldenLabelData,
  goldenEmissions,
  lmArpaText,
  orNegativeInfinity,
} from "./decode-golden.js";
import { batchEmissions } from "./decode-greedy.test.js";
import { ReferenceLm } from "./decode-reference-lm.js";

const C = charset.numClasses;
const referenceLm = new ReferenceLm(lmArpaText);
const ngramLm = NGramLM.fromArpa(lmArpaText);

function decoderFor(options: GoldenBeamOptions, lm: LanguageModel): CTCBeamDecoder {
  return new CTCBeamDecoder({
    beamSize: options.beam_size,
    maxLabelsPerTimestep: options.max_labels_per_timestep,
    lmWeight: options.lm_weight,
    insertionBonus: options.insertion_bonus,
    deleteKey: options.delete_key,
    lm: options.lm ? lm : null,
  });
}

function expectLabelData(
  actual: { text: string; labels: Int32Array; timestamps: Float64Array | null },
  expected: GoldenLabelData,
): void {
  expect(actual.text).toBe(expected.text);
  expect([...actual.labels]).toEqual(expected.labels);
  expect([...(actual.timestamps ?? [])]).toEqual(expected.timestamps);
}

function expectHypotheses(
  actual: BeamHypothesis[],
  expected: GoldenHypothesis[],
  tolerance: number,
): void {
  expect(actual.map((h) => [...h.labels])).toEqual(expected.map((h) => h.labels));
  expect(actual.map((h) => [...h.timestamps])).toEqual(expected.map((h) => h.timestamps));
  actual.forEach((h, i) => {
    const golden = expected[i] as GoldenHypothesis;
    expectClose(h.logProb, orNegativeInfinity(golden.pTotal), tolerance);
    expectClose(h.logProbBlank, orNegativeInfinity(golden.pBlank), tolerance);
    expectClose(h.logProbNonBlank, orNegativeInfinity(golden.pNonBlank), tolerance);
  });
}

/** Within `tolerance` relative to max(1, |expected|); -inf only as -inf. */
function expectClose(actual: number, expected: number, tolerance: number): void {
  if (expected === Number.NEGATIVE_INFINITY) {
    expect(actual).toBe(expected);
    return;
  }
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(
    tolerance * Math.max(1, Math.abs(expected)),
  );
}

/** Runs a golden case chunk by chunk, checking every call's result, then `finish`. */
function runCase(golden: GoldenBeamCase, lm: LanguageModel, tolerance: number): void {
  const set =
    typeof golden.emissions === "string"
      ? beamGolden.emissions[golden.emissions]
      : golden.emissions;
  if (set === undefined) throw new Error(`no emissions for ${golden.name}`);
  const emissions = goldenEmissions(set);
  const decoder = decoderFor(golden.options, lm);
  let start = 0;
  golden.chunks.forEach((size, i) => {
    const decoded = decoder.decode(
      emissions.subarray(start * C, (start + size) * C),
      set.timestamps.slice(start, start + size),
    );
    start += size;
    expectLabelData(decoded, golden.steps[i] as GoldenLabelData);
  });
  expectHypotheses(decoder.bestDecodings(5), golden.best, tolerance);
  expectLabelData(decoder.finish(), golden.finished);
  expectHypotheses(decoder.bestDecodings(5), golden.bestFinished, tolerance);
}

describe("beam search against emg2qwerty's CTCBeamDecoder", () => {
  it.each(beamGolden.cases)("$name", (golden) => runCase(golden, referenceLm, 1e-9));
});

describe("beam search with NGramLM (KenLM's float32 scores)", () => {
  // The golden LM sums ARPA values in float64; NGramLM rounds as KenLM does, so
  // scores move by float32 rounding per character while decodings stay put.
  it.each(beamGolden.cases.filter((c) => c.options.lm))("$name", (golden) =>
    runCase(golden, ngramLm, 1e-6),
  );
});

describe("backspaces take back LM scores (decoder_test's test_lm_score)", () => {
  it.each(beamGolden.lmScore)("$name", (golden) => {
    const frames = 2 * golden.labels.length;
    const emissions = new Float32Array(frames * C).fill(-50);
    golden.labels.forEach((label, i) => {
      emissions[2 * i * C + label] = 0;
      emissions[(2 * i + 1) * C + charset.nullClass] = 0;
    });
    for (const [lm, tolerance] of [
      [referenceLm, 1e-9],
      [ngramLm, 1e-6],
    ] as const) {
      const decoder = new CTCBeamDecoder({
        lm,
        beamSize: 4,
        maxLabelsPerTimestep: 1,
        lmWeight: golden.lmWeight,
        insertionBonus: golden.insertionBonus,
      });
      const decoded = decoder.decode(
        emissions,
        Float64Array.from({ length: frames }, (_, t) => t),
      );
      expect(decoded.text).toBe(golden.decodedText);
      const [best] = decoder.bestDecodings(1);
      expectClose(best?.logProb ?? Number.NaN, golden.logProb, tolerance);
      expectClose(best?.logProb ?? Number.NaN, golden.expectedLogProb, tolerance);
    }
  });
});

describe("batch and online use", () => {
  it("decodes batch items as emg2qwerty's decode_batch does", () => {
    const { lengths, options, beam } = beamGolden.batch;
    const decoder = decoderFor(options, referenceLm);
    const decoded = decoder.decodeBatch(batchEmissions(lengths), lengths);
    for (const [n, d] of decoded.entries()) expectLabelData(d, beam[n] as GoldenLabelData);
  });

  it("reset forgets the previous stream", () => {
    const golden = beamGolden.cases.find((c) => c.name === "A LM chunked");
    if (golden === undefined) throw new Error("missing case");
    const decoder = decoderFor(golden.options, referenceLm);
    const set = beamGolden.emissions.B;
    if (set === undefined) throw new Error("missing set");
    decoder.decode(goldenEmissions(set), set.timestamps);
    decoder.reset();
    const a = beamGolden.emissions.A;
    if (a === undefined) throw new Error("missing set");
    expectLabelData(
      decoder.decode(goldenEmissions(a), a.timestamps),
      golden.steps.at(-1) as GoldenLabelData,
    );
  });

  it("keeps its memory bounded on a long stream (trie nodes are collected)", () => {
    const set = beamGolden.emissions.long;
    if (set === undefined) throw new Error("missing set");
    const emissions = goldenEmissions(set);
    const decoder = new CTCBeamDecoder({ lm: referenceLm, beamSize: 10, maxLabelsPerTimestep: 5 });
    const once = decoder.decode(emissions, set.timestamps).text;
    // Replaying the set many times must keep every earlier onset and label.
    const rounds = 40;
    let offset = 0;
    for (let round = 1; round < rounds; round++) {
      offset += 10;
      decoder.decode(
        emissions,
        set.timestamps.map((t) => t + offset),
      );
    }
    const all = decoder.decode(new Float32Array(0), []);
    expect(all.text.startsWith(once.slice(0, 20))).toBe(true);
    expect(all.timestamps?.every((t, i, a) => i === 0 || t >= (a[i - 1] as number))).toBe(true);
  });

  it("rejects a delete key outside the charset and a non-positive beam", () => {
    expect(() => new CTCBeamDecoder({ deleteKey: "Key.tab" })).toThrow(/not in the charset/);
    expect(() => new CTCBeamDecoder({ beamSize: 0 })).toThrow(/beamSize/);
  });
});
