import { describe, expect, it } from "vitest";
import { editOps, editOpsList } from "../src/index.js";
import { randomGenerator } from "./random.js";
import { referenceEditOps } from "./reference-editops.js";

function randomText(random: () => number, alphabet: string[], length: number): string {
  return Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
}

describe("editOpsList", () => {
  it("breaks the ab/ba tie into two replaces, as python-Levenshtein does", () => {
    expect(editOpsList("ab", "ba")).toEqual([
      { type: "replace", sourcePos: 0, destPos: 0 },
      { type: "replace", sourcePos: 1, destPos: 1 },
    ]);
  });

  it("names a missing target character an insert and an extra one a delete", () => {
    expect(editOpsList("helo", "hello")).toEqual([{ type: "insert", sourcePos: 3, destPos: 3 }]);
    // The common prefix "hell" is stripped first, so the last extra "l" is the one deleted.
    expect(editOpsList("helllo", "hello")).toEqual([{ type: "delete", sourcePos: 4, destPos: 4 }]);
  });

  it("counts positions in code points, so an emoji is one character", () => {
    expect(editOpsList("😀a⌫", "😀b⌫")).toEqual([{ type: "replace", sourcePos: 1, destPos: 1 }]);
    expect(editOps("😀", "a")).toEqual({ insertions: 0, deletions: 0, substitutions: 1 });
  });

  it("returns nothing for equal strings", () => {
    expect(editOpsList("", "")).toEqual([]);
    expect(editOpsList("same ⏎", "same ⏎")).toEqual([]);
  });

  it("rejects a block size below one row", () => {
    expect(() => editOps("a", "b", { blockRows: 0 })).toThrow(RangeError);
    expect(() => editOps("a", "b", { blockRows: Number.NaN })).toThrow(RangeError);
  });
});

describe("checkpointed walk", () => {
  const manyDistinct = Array.from({ length: 150 }, (_, index) =>
    String.fromCodePoint(0x4e00 + index),
  );
  const alphabets = [["a", "b"], ["a", "b", "c", "⌫", "😀"], manyDistinct];

  it("matches a plain full-matrix reference on random pairs, for every block size", () => {
    const random = randomGenerator(12345);
    for (let trial = 0; trial < 60; trial++) {
      const alphabet = alphabets[trial % alphabets.length] as string[];
      const prediction = randomText(random, alphabet, Math.floor(random() * 300));
      const target = randomText(random, alphabet, Math.floor(random() * 300));
      const expected = referenceEditOps(prediction, target);
      for (const blockRows of [1, 2, 5, 33, Number.POSITIVE_INFINITY]) {
        const ops = editOpsList(prediction, target, { blockRows });
        expect(ops.map((op) => [op.type, op.sourcePos, op.destPos])).toEqual(expected);
      }
    }
  });

  it("produces a script that turns the prediction into the target", () => {
    const random = randomGenerator(99);
    const alphabet = ["a", "b", "c", "d", " "];
    const target = randomText(random, alphabet, 3000);
    const prediction = randomText(random, alphabet, 2500);
    const ops = editOpsList(prediction, target, { blockRows: 4 });
    const source = Array.from(prediction);
    const destination = Array.from(target);
    const rebuilt: string[] = [];
    let next = 0;
    for (const op of ops) {
      while (next < op.sourcePos) rebuilt.push(source[next++] as string);
      if (op.type !== "delete") rebuilt.push(destination[op.destPos] as string);
      if (op.type !== "insert") next++;
    }
    rebuilt.push(...source.slice(next));
    expect(rebuilt.join("")).toBe(target);
  });
});
