import { charset } from "@emgkit/emg-io";
import { describe, expect, it } from "vitest";
import { CTCGreedyDecoder, greedyDecode, greedyDecodeBatch } from "../src/decode/index.js";
import { beamGolden, goldenEmissions, greedyGolden } from "./decode-golden.js";

const C = charset.numClasses;

/** decoder_test.py's one-hot emissions: "\b" is the blank. */
function oneHot(input: string): Float32Array {
  const emissions = new Float32Array(input.length * C);
  [...input].forEach((key, t) => {
    emissions[t * C + (key === "\b" ? charset.nullClass : charset.keyToLabel(key))] = 1;
  });
  return emissions;
}

describe("greedy decoding against emg2qwerty's CTCGreedyDecoder", () => {
  it.each(greedyGolden.strings)("decoder_test string %#", ({ input, text, labels, timestamps }) => {
    const decoded = new CTCGreedyDecoder().decode(
      oneHot(input),
      Float64Array.from(input, (_, t) => t),
    );
    expect(decoded.text).toBe(text);
    expect([...decoded.labels]).toEqual(labels);
    expect([...(decoded.timestamps ?? [])]).toEqual(timestamps);
    const plain = greedyDecode(oneHot(input));
    expect([...plain.labels]).toEqual(labels);
    expect([...plain.timestamps]).toEqual(timestamps);
  });

  it("decodes decoder_test's batch item by item", () => {
    const inputs = greedyGolden.strings.map((s) => s.input);
    const T = Math.max(...inputs.map((s) => s.length));
    const N = inputs.length;
    const emissions = new Float32Array(T * N * C);
    inputs.forEach((input, n) => {
      const item = oneHot(input);
      for (let t = 0; t < input.length; t++) {
        emissions.set(item.subarray(t * C, (t + 1) * C), (t * N + n) * C);
      }
    });
    const lengths = inputs.map((s) => s.length);
    const texts = new CTCGreedyDecoder().decodeBatch(emissions, lengths).map((d) => d.text);
    expect(texts).toEqual(greedyGolden.strings.map((s) => s.text));
    const plain = greedyDecodeBatch(emissions, lengths);
    expect(plain.map((d) => charset.labelsToStr(d.labels))).toEqual(texts);
  });

  it.each(greedyGolden.random)(
    "seeded emissions $emissions in chunks $chunks",
    ({ emissions: name, chunks, steps }) => {
      const set = beamGolden.emissions[name];
      if (set === undefined) throw new Error(`no emissions ${name}`);
      const emissions = goldenEmissions(set);
      const decoder = new CTCGreedyDecoder();
      let start = 0;
      chunks.forEach((size, i) => {
        const decoded = decoder.decode(
          emissions.subarray(start * C, (start + size) * C),
          set.timestamps.slice(start, start + size),
        );
        start += size;
        expect(decoded.text).toBe(steps[i]?.text);
        expect([...(decoded.timestamps ?? [])]).toEqual(steps[i]?.timestamps);
      });
      const whole = greedyDecode(emissions, { timestamps: set.timestamps });
      expect([...whole.labels]).toEqual(steps.at(-1)?.labels);
    },
  );

  it("decodes batch items as emg2qwerty's decode_batch does", () => {
    const { lengths, greedy } = beamGolden.batch;
    const decoded = new CTCGreedyDecoder().decodeBatch(batchEmissions(lengths), lengths);
    expect(decoded.map((d) => d.text)).toEqual(greedy.map((d) => d.text));
    expect(decoded.map((d) => [...(d.timestamps ?? [])])).toEqual(greedy.map((d) => d.timestamps));
  });

  it("takes the first maximum on ties, like np.argmax", () => {
    const emissions = new Float32Array(2 * 4);
    emissions.set([1, 3, 3, 0, 0, 0, 0, 5]);
    expect([...greedyDecode(emissions, { numClasses: 4 }).labels]).toEqual([1]);
  });

  it("rejects emissions that are not (T, C) and timestamps of the wrong length", () => {
    expect(() => greedyDecode(new Float32Array(5), { numClasses: 4 })).toThrow(/not \(T, 4\)/);
    expect(() => new CTCGreedyDecoder().decode(new Float32Array(2 * C), [0])).toThrow(
      /1 timestamps for 2 frames/,
    );
  });
});

/** The golden batch: sets A, B, C unpadded to `lengths`, time-first (T, N, C). */
export function batchEmissions(lengths: number[]): Float32Array {
  const names = ["A", "B", "C"];
  const T = Math.max(...lengths);
  const N = lengths.length;
  const batch = new Float32Array(T * N * C);
  lengths.forEach((length, n) => {
    const set = beamGolden.emissions[names[n] as string];
    if (set === undefined) throw new Error("missing set");
    const emissions = goldenEmissions(set);
    for (let t = 0; t < length; t++) {
      batch.set(emissions.subarray(t * C, (t + 1) * C), (t * N + n) * C);
    }
  });
  return batch;
}
