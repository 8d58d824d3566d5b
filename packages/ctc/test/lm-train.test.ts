import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { NGramLM } from "../src/lm/ngram-lm.js";
import {
  findNGram,
  formatKenLmFloat,
  type KneserNeyModel,
  logProbWithBackoff,
  prepareCharLmLines,
  prepareCharLmText,
  sentenceLogProb,
  toArpa,
  tokenizeWords,
  trainKneserNey,
} from "../src/lm/train/index.js";
import { arpaLogProb, type ParsedArpa, parseArpa } from "./lm-train-arpa-helper.js";

const PARAGRAPH = `The quick brown fox jumps over the lazy dog. Pack my box with five dozen
liquor jugs! How vexingly quick daft zebras jump; the five boxing wizards jump quickly.
A mad boxer shot a quick, gloved jab to the jaw of his dizzy opponent.`;

function adjustedCount(model: KneserNeyModel, words: string): number | undefined {
  const at = findNGram(model, words.split(" "));
  return at === undefined ? undefined : model.orders[at.order - 1]?.adjustedCounts[at.id];
}

function logProbOf(model: KneserNeyModel, words: string): number | undefined {
  const at = findNGram(model, words.split(" "));
  return at === undefined ? undefined : model.orders[at.order - 1]?.logProbs[at.id];
}

/** Words a model predicts: all unigrams but <s> (so <unk> and </s> included). */
function predictable(arpa: ParsedArpa): string[] {
  return [...(arpa.entries[0]?.keys() ?? [])].filter((word) => word !== "<s>");
}

describe("trainKneserNey: hand-checked unigram discounts and probabilities", () => {
  // One line; raw counts (the highest order keeps them): a b c d 1, e f 2, g 3, h 4, </s> 1.
  // Counts of counts: n1 = 5 (a b c d </s>), n2 = 2, n3 = 1, n4 = 1.
  // Y = n1 / (n1 + 2 n2) = 5/9
  // D1 = 1 - 2 Y n2/n1 = 1 - 2 (5/9)(2/5) = 5/9
  // D2 = 2 - 3 Y n3/n2 = 2 - 3 (5/9)(1/2) = 7/6
  // D3+ = 3 - 4 Y n4/n3 = 3 - 20/9 = 7/9
  // Denominator 16 (sum of counts); gamma = (5 D1 + 2 D2 + 2 D3+) / 16 = (60/9)/16 = 5/12,
  // spread uniformly over the 10 words other than <s> (<unk> </s> a..h): 1/24 each.
  // p(a) = (1 - 5/9)/16 + 1/24 = 100/1440      p(e) = (2 - 7/6)/16 + 1/24 = 135/1440
  // p(g) = (3 - 7/9)/16 + 1/24 = 260/1440      p(h) = (4 - 7/9)/16 + 1/24 = 350/1440
  // p(</s>) = p(a) = 100/1440                  p(<unk>) = 1/24 = 60/1440; total 1440/1440.
  const model = trainKneserNey(["a b c d e e f f g g g h h h h"], { order: 1 });
  const unigrams = model.orders[0];

  it("computes Chen & Goodman's discounts from counts of counts", () => {
    expect(unigrams?.countsOfCounts).toEqual({ n1: 5, n2: 2, n3: 1, n4: 1 });
    expect(unigrams?.discount.fallback).toBe(false);
    expect(unigrams?.discount.d1).toBeCloseTo(5 / 9, 6);
    expect(unigrams?.discount.d2).toBeCloseTo(7 / 6, 6);
    expect(unigrams?.discount.d3Plus).toBeCloseTo(7 / 9, 6);
  });

  it("interpolates with the uniform distribution and gives <unk> the freed mass", () => {
    const expected: Record<string, number> = {
      a: 100,
      d: 100,
      e: 135,
      f: 135,
      g: 260,
      h: 350,
      "</s>": 100,
      "<unk>": 60,
      "<s>": 1440,
    };
    for (const [word, per1440] of Object.entries(expected)) {
      expect(10 ** (logProbOf(model, word) ?? Number.NaN), word).toBeCloseTo(per1440 / 1440, 6);
    }
    expect(unigrams?.size).toBe(11);
  });
});

describe("trainKneserNey: adjusted counts", () => {
  // <s> a b </s> (twice), <s> b b </s>; order 3.
  const model = trainKneserNey(["a b", "b b", "a b"], { order: 3, discountFallback: true });

  it("keeps raw counts for the highest order", () => {
    expect(adjustedCount(model, "<s> a b")).toBe(2);
    expect(adjustedCount(model, "a b </s>")).toBe(2);
    expect(adjustedCount(model, "b b </s>")).toBe(1);
  });

  it("keeps raw counts for n-grams starting with <s>", () => {
    expect(adjustedCount(model, "<s> a")).toBe(2);
    expect(adjustedCount(model, "<s> b")).toBe(1);
  });

  it("counts distinct left extensions otherwise", () => {
    expect(adjustedCount(model, "a b")).toBe(1); // only <s> a b, seen twice
    expect(adjustedCount(model, "b </s>")).toBe(2); // a b </s>, b b </s>
    expect(adjustedCount(model, "b b")).toBe(1); // <s> b b
    expect(adjustedCount(model, "b")).toBe(3); // a b, <s> b, b b
    expect(adjustedCount(model, "a")).toBe(1); // <s> a
    expect(adjustedCount(model, "</s>")).toBe(1); // b </s>
    expect(adjustedCount(model, "<s>")).toBe(0);
    expect(adjustedCount(model, "<unk>")).toBe(0);
  });

  it("keeps raw counts beside them", () => {
    const at = findNGram(model, ["b"]);
    expect(at && model.orders[0]?.rawCounts[at.id]).toBe(4);
    expect(model.sentenceCount).toBe(3);
    expect(model.tokenCount).toBe(6);
  });

  it("falls back to lmplz's default discounts where counts of counts are missing", () => {
    // Order 3 has counts 2, 2, 1, 1: n3 = 0.
    expect(model.orders[2]?.countsOfCounts).toEqual({ n1: 2, n2: 2, n3: 0, n4: 0 });
    expect(model.orders[2]?.discount).toEqual({ d1: 0.5, d2: 1, d3Plus: 1.5, fallback: true });
  });
});

describe("trainKneserNey: every context's distribution sums to 1", () => {
  const lines = prepareCharLmLines(PARAGRAPH);
  for (const order of [1, 2, 3, 4, 5]) {
    it(`order ${order}, read back from the ARPA file by back-off`, () => {
      const model = trainKneserNey(lines, { order, discountFallback: true });
      const arpa = parseArpa(toArpa(model));
      const vocabulary = predictable(arpa);
      // Every context the model has (the empty one, and every n-gram that is a context), plus unseen ones.
      const contexts: string[][] = [[], ["z", "q"], ["<s>", "x", "x"]];
      for (const entries of arpa.entries.slice(0, order - 1)) {
        for (const words of entries.keys())
          if (!words.endsWith("</s>")) contexts.push(words.split(" "));
      }
      expect(contexts.length).toBeGreaterThan(order === 1 ? 2 : 30);
      for (const context of contexts) {
        const total = vocabulary.reduce(
          (sum, word) => sum + 10 ** arpaLogProb(arpa, context, word),
          0,
        );
        expect(total, context.join(" ")).toBeCloseTo(1, 5);
      }
    });
  }

  it("agrees with the model's own back-off scorer", () => {
    const model = trainKneserNey(lines, { order: 4, discountFallback: true });
    const arpa = parseArpa(toArpa(model));
    for (const [context, word] of [
      [["<s>", "q", "u"], "i"],
      [["j", "u", "m"], "p"],
      [["x", "y"], "z"],
      [["<s>"], "</s>"],
      [["o", "v"], "é"],
    ] as const) {
      expect(logProbWithBackoff(model, context, word)).toBeCloseTo(
        arpaLogProb(arpa, context, word),
        6,
      );
    }
  });

  it("scores sentences as NGramLM scores the written ARPA", () => {
    const model = trainKneserNey(lines, { order: 5, discountFallback: true });
    const lm = NGramLM.fromArpa(toArpa(model));
    for (const word of ["t h e", "q u i c k", "z z z", "w i z a r d s", "a"]) {
      expect(sentenceLogProb(model, word.split(" "))).toBeCloseTo(lm.score(word), 4);
    }
  });
});

describe("toArpa", () => {
  const model = trainKneserNey(prepareCharLmLines(PARAGRAPH), { order: 3, discountFallback: true });
  const text = toArpa(model);
  const arpa = parseArpa(text);

  it("declares as many n-grams as it lists", () => {
    expect(arpa.declaredCounts).toEqual(model.orders.map((o) => o.size));
    expect(arpa.entries.map((entries) => entries.size)).toEqual(arpa.declaredCounts);
  });

  it("writes the special tokens as lmplz does", () => {
    const lines = text.split("\n");
    expect(lines.slice(0, 6)).toEqual([
      "\\data\\",
      "ngram 1=29",
      `ngram 2=${model.orders[1]?.size}`,
      `ngram 3=${model.orders[2]?.size}`,
      "",
      "\\1-grams:",
    ]);
    expect(lines[6]).toMatch(/^-\d\.\d+\t<unk>\t0$/);
    expect(lines[7]).toMatch(/^0\t<s>\t-\d\.\d+$/);
    expect(lines[8]).toMatch(/^-\d\.\d+\t<\/s>\t0$/);
    expect(lines.at(-2)).toBe("\\end\\");
    // Bigrams ending in </s> are no context: back-off 0.
    expect(text).toMatch(/\n-[\d.]+\tx <\/s>\t0\n/);
  });

  it("lists higher orders in suffix order", () => {
    const bigrams = [...(arpa.entries[1]?.keys() ?? [])];
    const words = model.vocabulary.words;
    const rank = (gram: string) =>
      gram
        .split(" ")
        .reverse()
        .map((w) => words.indexOf(w));
    for (let i = 1; i < bigrams.length; i++) {
      const [a, b] = [rank(bigrams[i - 1] ?? ""), rank(bigrams[i] ?? "")];
      expect(a[0] ?? 0).toBeLessThanOrEqual(b[0] ?? 0);
      if (a[0] === b[0]) expect(a[1] ?? 0).toBeLessThan(b[1] ?? 0);
    }
  });

  it("formats numbers as KenLM's shortest float32", () => {
    expect(formatKenLmFloat(Math.fround(Math.log10(0.5)))).toBe("-0.30103");
    expect(formatKenLmFloat(Math.fround(-1.2457715))).toBe("-1.2457715");
    expect(formatKenLmFloat(Math.fround(1e-7))).toBe("1e-7");
    expect(formatKenLmFloat(0)).toBe("0");
  });
});

const REUTERS_ARPA = fileURLToPath(
  new URL("../../../../shared/reference/lm/reuters-3-gram-char-lm.arpa", import.meta.url),
);

describe.skipIf(!existsSync(REUTERS_ARPA))("the test's ARPA scorer on real lmplz output", () => {
  it("finds the reference Reuters model normalised, so the sums above mean something", () => {
    const arpa = parseArpa(readFileSync(REUTERS_ARPA, "utf8"));
    const vocabulary = predictable(arpa);
    for (const context of [[], ["<s>"], ["t", "h"], ["<s>", "q"], ["x", "x"]]) {
      const total = vocabulary.reduce(
        (sum, word) => sum + 10 ** arpaLogProb(arpa, context, word),
        0,
      );
      expect(total, context.join(" ")).toBeCloseTo(1, 4);
    }
  });
});

describe("trainKneserNey: bad input", () => {
  it.each([0, 2.5, 17, Number.NaN])("rejects order %s", (order) => {
    expect(() => trainKneserNey(["a"], { order })).toThrow(/order must be an integer from 1 to 16/);
  });

  it("rejects bad fallback discounts", () => {
    expect(() => trainKneserNey(["a"], { order: 2, discountFallback: [1.5] })).toThrow(
      /count 1 must be in \[0, 1\]/,
    );
    expect(() => trainKneserNey(["a"], { order: 2, discountFallback: [0.5, 1, 1.5, 2] })).toThrow(
      /1 to 3 discounts/,
    );
    expect(() => trainKneserNey(["a"], { order: 2, discountFallback: [] })).toThrow(
      /1 to 3 discounts/,
    );
  });

  it("refuses to guess discounts without a fallback, as lmplz does", () => {
    expect(() => trainKneserNey(["a b", "a b"], { order: 2 })).toThrow(
      /no 1-grams have adjusted count 2.*discountFallback: true/,
    );
  });

  it("uses the last fallback value for the missing ones", () => {
    const model = trainKneserNey(["a b", "a b"], { order: 2, discountFallback: [0.25] });
    expect(model.orders[1]?.discount).toEqual({ d1: 0.25, d2: 0.25, d3Plus: 0.25, fallback: true });
  });

  it("rejects special tokens, embedded newlines and empty input", () => {
    expect(() => trainKneserNey(["a </s> b"], { order: 2, discountFallback: true })).toThrow(
      /special token <\/s>/,
    );
    expect(() => trainKneserNey(["a\nb"], { order: 2, discountFallback: true })).toThrow(
      /line 1 contains a newline/,
    );
    expect(() => trainKneserNey([], { order: 2, discountFallback: true })).toThrow(/no lines/);
  });

  it("reads an empty line as the sentence <s> </s>, as lmplz does", () => {
    const model = trainKneserNey(["a", ""], { order: 2, discountFallback: true });
    expect(findNGram(model, ["<s>", "</s>"])).toBeDefined();
  });
});

describe("prepareCharLmText", () => {
  it("keeps only words of a-z, lower-cased, one per line with spaced characters", () => {
    expect(prepareCharLmText("Hello, World!")).toBe("h e l l o\nw o r l d\n");
  });

  it("splits clitics and drops the apostrophe parts", () => {
    expect(prepareCharLmLines("Don't I'm can't they'll John's dogs' o'clock")).toEqual([
      "d o",
      "i",
      "c a",
      "t h e y",
      "j o h n",
      "d o g s",
    ]);
  });

  it("drops words with digits, hyphens, inner periods and accents", () => {
    expect(prepareCharLmLines("R2D2 3rd well-known U.S. e.g. café naïve résumé ok")).toEqual([
      "o k",
    ]);
  });

  it("splits punctuation off words but keeps abbreviations whole", () => {
    expect(tokenizeWords(`"Yes," (he) said: no; Mr. Smith arrived... Then J. Doe left.`)).toEqual([
      "``",
      "Yes",
      ",",
      "''",
      "(",
      "he",
      ")",
      "said",
      ":",
      "no",
      ";",
      "Mr.",
      "Smith",
      "arrived",
      "...",
      "Then",
      "J.",
      "Doe",
      "left",
      ".",
    ]);
    expect(prepareCharLmLines("Mr. Smith ends here. Next")).toEqual([
      "s m i t h",
      "e n d s",
      "h e r e",
      "n e x t",
    ]);
  });

  it("splits NLTK's multi-word contractions", () => {
    expect(tokenizeWords("cannot gonna gimme 'Tis")).toEqual([
      "can",
      "not",
      "gon",
      "na",
      "gim",
      "me",
      "'T",
      "is",
    ]);
  });

  it("lower-cases as Python does, including the Kelvin sign", () => {
    expect(prepareCharLmLines("ÉCOLE \u212Aelvin QUIET")).toEqual(["k e l v i n", "q u i e t"]);
  });
});
