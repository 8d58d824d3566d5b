import { describe, expect, it } from "vitest";
import { LabelRanking } from "../src/decode/label-ranking.js";
import { numpyArgsort } from "../src/decode/numpy-argsort.js";
import { argsortGolden } from "./decode-golden.js";
import { randomGenerator } from "./random.js";

describe("NumPy's argsort order among ties", () => {
  it.each(argsortGolden.rows.map((row, i) => ({ ...row, i, n: row.values.length })))(
    "row $i (length $n) sorts as np.argsort",
    ({ values, argsort }) => {
      const order = Int32Array.from(values, (_, i) => i);
      numpyArgsort(
        Float64Array.from(values, (v) => v ?? Number.NaN),
        order,
      );
      expect([...order]).toEqual(argsort);
    },
  );
});

describe("LabelRanking", () => {
  it("gives the head of np.argsort(-row), with or without ties in the top labels", () => {
    const random = randomGenerator(5);
    for (let trial = 0; trial < 300; trial++) {
      const C = 99;
      const distinct = trial % 3 === 0 ? 4 : 1000;
      const row = Float32Array.from({ length: C }, () => Math.floor(random() * distinct) / 7);
      const reference = Int32Array.from(row, (_, i) => i);
      numpyArgsort(
        Float64Array.from(row, (v) => -v),
        reference,
      );
      for (const count of [1, 5, 10, 98, 99, -1]) {
        const ranking = new LabelRanking(C, count);
        ranking.rank(row, 0);
        expect([...ranking.labels]).toEqual([...reference.subarray(0, ranking.count)]);
      }
    }
  });
});
