import { describe, expect, it } from "vitest";
import { CharacterErrorRates } from "../src/index.js";
import { golden } from "./golden.js";

describe("CharacterErrorRates", () => {
  it.each(golden.aggregates)("equals emg2qwerty's rates for $name", (aggregate) => {
    const metric = new CharacterErrorRates();
    for (const id of aggregate.pairIds) {
      const pair = golden.pairs[id];
      if (pair === undefined) throw new Error(`golden pair ${id} missing`);
      metric.update({ text: pair.prediction }, { text: pair.target });
    }
    expect(metric.compute()).toEqual(aggregate.rates);
  });

  it("accepts strings and LabelData-like objects alike", () => {
    const fromStrings = new CharacterErrorRates();
    const fromObjects = new CharacterErrorRates();
    fromStrings.update("helo wrld", "hello world");
    fromObjects.update({ text: "helo wrld" }, { text: "hello world" });
    expect(fromStrings.compute()).toEqual(fromObjects.compute());
    expect(fromStrings.compute()).toEqual({
      CER: (2 / 11) * 100,
      IER: (2 / 11) * 100,
      DER: 0,
      SER: 0,
    });
  });

  it("reports per-sample errors, with a null CER for an empty target", () => {
    const metric = new CharacterErrorRates();
    metric.update("cat", "cart");
    metric.update("dogs", "dog");
    metric.update("x", "");
    metric.update("😀b", "ab");
    expect(metric.samples).toEqual([
      { insertions: 1, deletions: 0, substitutions: 0, targetLength: 4, CER: 25 },
      { insertions: 0, deletions: 1, substitutions: 0, targetLength: 3, CER: (1 / 3) * 100 },
      { insertions: 0, deletions: 1, substitutions: 0, targetLength: 0, CER: null },
      { insertions: 0, deletions: 0, substitutions: 1, targetLength: 2, CER: 50 },
    ]);
    expect(metric.compute()).toEqual({
      CER: (4 / 9) * 100,
      IER: (1 / 9) * 100,
      DER: (2 / 9) * 100,
      SER: (1 / 9) * 100,
    });
  });

  it("throws when the total target length is 0, where Python divides by zero", () => {
    const metric = new CharacterErrorRates();
    expect(() => metric.compute()).toThrow(/target length is 0/);
    metric.update("abc", "");
    expect(() => metric.compute()).toThrow(/target length is 0/);
  });

  it("starts over after reset", () => {
    const metric = new CharacterErrorRates();
    metric.update("abc", "xyz");
    metric.reset();
    expect(metric.samples).toEqual([]);
    metric.update("abc", "abd");
    expect(metric.compute()).toEqual({ CER: (1 / 3) * 100, IER: 0, DER: 0, SER: (1 / 3) * 100 });
  });
});
