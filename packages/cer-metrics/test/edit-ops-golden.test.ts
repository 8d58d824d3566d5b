import { describe, expect, it } from "vitest";
import { editOps, editOpsList } from "../src/index.js";
import { golden } from "./golden.js";

// Infinity stores every row of the cost matrix; small block sizes force the checkpointed
// walk even on short pairs (a pair shorter than the block stores every row anyway).
const paths = [
  { name: "full matrix", blockRows: Number.POSITIVE_INFINITY },
  { name: "default", blockRows: undefined },
  { name: "checkpointed, 1-row blocks", blockRows: 1 },
  { name: "checkpointed, 3-row blocks", blockRows: 3 },
  { name: "checkpointed, 64-row blocks", blockRows: 64 },
];

describe.each(paths)("golden pairs, $name", ({ blockRows }) => {
  const options = blockRows === undefined ? {} : { blockRows };

  it.each(golden.pairs)("#$id $category", (pair) => {
    expect(editOps(pair.prediction, pair.target, options)).toEqual(pair.counts);
    if (pair.ops !== null) {
      const ops = editOpsList(pair.prediction, pair.target, options);
      expect(ops.map((op) => [op.type, op.sourcePos, op.destPos])).toEqual(pair.ops);
    }
  });
});

describe("golden coverage", () => {
  it("has the required kinds of pairs", () => {
    const categories = new Set(golden.pairs.map((pair) => pair.category.split(":")[0]));
    expect(golden.pairs.length).toBeGreaterThanOrEqual(250);
    for (const category of [
      "empty",
      "identical",
      "transposition",
      "unicode",
      "many-distinct-characters",
      "long-noisy-copy",
    ]) {
      expect(categories).toContain(category);
    }
    const longest = Math.max(...golden.pairs.map((pair) => pair.target.length));
    expect(longest).toBeGreaterThanOrEqual(2000);
  });
});
