import { describe, expect, it } from "vitest";
import { DEFAULT_LM_PATH, loadDefaultLanguageModel } from "../src/node/default-lm.js";

describe("the default character LM (Brown corpus, 6-gram)", () => {
  const lm = loadDefaultLanguageModel();

  it("loads from the package with emg2qwerty's vocabulary: lower-case letters only", () => {
    expect(DEFAULT_LM_PATH.endsWith("lm/brown-6gram-charlm.arpa.gz")).toBe(true);
    expect(lm.order).toBe(6);
    expect(lm.ngramCounts).toEqual([29, 639, 7127, 33199, 70649, 92562]);
    for (const letter of "abcdefghijklmnopqrstuvwxyz") expect(lm.has(letter)).toBe(true);
    for (const other of ["A", "Key.space", "'", "1", "<unk>"]) expect(lm.has(other)).toBe(false);
  });

  it("prefers English words to scrambles of the same letters", () => {
    const pairs = [
      ["t h e", "h t e"],
      ["a n d", "d n a"],
      ["w o r l d", "l d r o w"],
      ["t y p i n g", "g n i p y t"],
    ] as const;
    for (const [word, scramble] of pairs)
      expect(lm.score(word)).toBeGreaterThan(lm.score(scramble) + 1);
  });
});
