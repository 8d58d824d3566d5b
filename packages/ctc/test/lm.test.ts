import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ArpaFormatError } from "../src/lm/arpa-parser.js";
import { NGramLM } from "../src/lm/ngram-lm.js";

const arpaBytes = readFileSync(new URL("./fixtures/reuters-3-gram-char-lm.arpa", import.meta.url));
const lm = NGramLM.fromArpa(arpaBytes);

interface GoldenSentence {
  category: string;
  text: string;
  bos: boolean;
  eos: boolean;
  /** The stand-in's Model.score (float64 sums). */
  score: number;
  /** The same with KenLM's float32 rounding of each BaseScore and of the running total. */
  kenlmScore: number;
}
interface GoldenSequence {
  start: "begin" | "null";
  steps: { word: string; score: number; isBeginSentence: boolean }[];
}
const golden: { sentences: GoldenSentence[]; sequences: GoldenSequence[] } = JSON.parse(
  readFileSync(new URL("./golden/lm-reuters.json", import.meta.url), "utf8"),
);

/** One float32 unit in the last place at |x|: the resolution of KenLM's float32 totals. */
const float32Ulp = (x: number) => 2 ** (Math.floor(Math.log2(Math.max(Math.abs(x), 1e-30))) - 23);

function expectClose(actual: number, expected: number, tolerance = 1e-5): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

/** Scores words one by one through baseScore, summing in float64; returns the sum and the states. */
function walk(words: string[], start: number): { total: number; states: number[] } {
  const next = new Int32Array(1);
  let state = start;
  let total = 0;
  const states: number[] = [];
  for (const word of words) {
    total += lm.baseScore(state, lm.index(word), next);
    state = next[0] as number;
    states.push(state);
  }
  return { total, states };
}

describe("NGramLM on the Reuters 3-gram character LM: golden vectors", () => {
  it("reads the model", () => {
    expect(lm.order).toBe(3);
    expect(lm.ngramCounts).toEqual([63, 1018, 10742]);
    expect(golden.sentences.length).toBeGreaterThan(700);
  });

  it("score equals KenLM's Model.score (float32 sums) to 1e-5, or 2 float32 ulps above |128|", () => {
    for (const s of golden.sentences) {
      const tolerance = Math.max(1e-5, 2 * float32Ulp(s.kenlmScore));
      expectClose(lm.score(s.text, { bos: s.bos, eos: s.eos }), s.kenlmScore, tolerance);
    }
  });

  it("baseScore summed in float64 equals the stand-in's float64 Model.score to 1e-5", () => {
    for (const s of golden.sentences) {
      const words = s.text.split(/\s+/).filter((w) => w.length > 0);
      if (s.eos) words.push("</s>");
      const { total } = walk(words, s.bos ? lm.beginSentence : lm.nullContext);
      expectClose(total, s.score, Math.max(1e-5, 1e-7 * words.length));
    }
  });

  it("baseScore sequences match step by step, and the <s> state only where the stand-in has it", () => {
    for (const sequence of golden.sequences) {
      const next = new Int32Array(1);
      let state = sequence.start === "begin" ? lm.beginSentence : lm.nullContext;
      for (const step of sequence.steps) {
        expectClose(lm.baseScore(state, lm.index(step.word), next), step.score, 1e-6);
        state = next[0] as number;
        expect(state === lm.beginSentence).toBe(step.isBeginSentence);
      }
    }
  });
});

describe("NGramLM: scores worked out by hand from the ARPA lines", () => {
  // ARPA lines used (fixture line numbers):
  //   7: -2.8916545  <unk>  0            10: -1.4917885  a  -1.2392386
  //  15: -1.6131831  x  -0.7181831       27: -1.64969    j  -0.70125556
  //  51: -1.7109411  q  -0.5795224       56: -1.64969    z  -0.73317003
  //  69: -2.7509215  ~  -0.2196014      130: -1.1191015  <s> a  -3.4417691
  // 136: -1.2141261  x a  -1.6629051    396: -1.012672   <s> t  -3.5935357
  // 1092: -0.7169111 <s> a </s>         1225: -0.118075386  h e </s>
  // 4206: -0.15811019  t h e            9032: -0.25158918  <s> t h
  // Not listed: "q z", "x q", "q j", "a ~", "x a ~"; no n-gram starts with <unk>.
  const cases: [string, { bos: boolean; eos: boolean }, number][] = [
    // p(a) = 1-gram a
    ["a", { bos: false, eos: false }, -1.4917885],
    // p(a | <s>) = 2-gram "<s> a"
    ["a", { bos: true, eos: false }, -1.1191015],
    // p(a | <s>) + p(</s> | <s> a) = "<s> a" + "<s> a </s>" = -1.1191015 - 0.7169111
    ["a", { bos: true, eos: true }, -1.8360126],
    // "<s> t" + "<s> t h" + "t h e" + "h e </s>" = -1.012672 - 0.25158918 - 0.15811019 - 0.118075386
    ["t h e", { bos: true, eos: true }, -1.540446756],
    // p(q) + [backoff(q) + p(z)] = -1.7109411 + (-0.5795224 - 1.64969)
    ["q z", { bos: false, eos: false }, -3.9401535],
    // p(x) + [backoff(x) + p(q)] + [backoff(q) + p(j)]  (state after q is "q": "x q" is not listed)
    // = -1.6131831 + (-0.7181831 - 1.7109411) + (-0.5795224 - 1.64969)
    ["x q j", { bos: false, eos: false }, -6.2715197],
    // p(x) + "x a" + [backoff(x a) + backoff(a) + p(~)]  (neither "x a ~" nor "a ~" is listed)
    // = -1.6131831 - 1.2141261 + (-1.6629051 - 1.2392386 - 2.7509215)
    ["x a ~", { bos: false, eos: false }, -8.4803744],
    // é is outside the vocabulary: p(<unk>); then from the empty context p(a)
    // = -2.8916545 - 1.4917885
    ["é a", { bos: false, eos: false }, -4.383443],
  ];
  for (const [sentence, options, expected] of cases) {
    it(`score(${JSON.stringify(sentence)}, ${JSON.stringify(options)}) = ${expected}`, () => {
      expectClose(lm.score(sentence, options), expected);
    });
  }
});

describe("NGramLM: vocabulary, has, index", () => {
  it("lists <unk> first, then the 1-grams in ARPA order", () => {
    expect(lm.vocabulary.length).toBe(63);
    expect(lm.vocabulary.slice(0, 5)).toEqual(["<unk>", "<s>", "</s>", "a", "s"]);
    expect(lm.index("<unk>")).toBe(0);
    expect(lm.index("a")).toBe(3);
    expect(lm.index("ü")).toBe(lm.vocabulary.indexOf("ü"));
  });

  it("maps words outside the vocabulary to 0 and has() is KenLM's `in`", () => {
    for (const word of ["é", "A", "ab", "", "<UNK>"]) expect(lm.index(word)).toBe(0);
    expect(lm.has("a")).toBe(true);
    expect(lm.has("<s>")).toBe(true);
    expect(lm.has("</s>")).toBe(true);
    expect(lm.has("<unk>")).toBe(false);
    expect(lm.has("é")).toBe(false);
  });
});

describe("NGramLM: states", () => {
  const next = new Int32Array(1);
  const after = (state: number, word: string) => {
    lm.baseScore(state, lm.index(word), next);
    return next[0] as number;
  };

  it("the state after <s> is beginSentence; after a letter it is not", () => {
    expect(after(lm.nullContext, "<s>")).toBe(lm.beginSentence);
    expect(after(lm.beginSentence, "<s>")).toBe(lm.beginSentence);
    expect(after(lm.beginSentence, "t")).not.toBe(lm.beginSentence);
    expect(after(lm.nullContext, "a")).not.toBe(lm.beginSentence);
    expect(lm.beginSentence).not.toBe(lm.nullContext);
  });

  it("the state after <unk> (or an unknown word) and after </s> is nullContext", () => {
    expect(after(lm.beginSentence, "<unk>")).toBe(lm.nullContext);
    expect(after(after(lm.nullContext, "t"), "é")).toBe(lm.nullContext);
    expect(after(after(lm.nullContext, "a"), "</s>")).toBe(lm.nullContext);
  });

  it("equal contexts give equal states, whatever came before", () => {
    // "a b" is a listed 2-gram with a backoff, so it is the whole state after "... a b".
    const [fromBegin, fromX, fromT] = [
      walk(["a", "b"], lm.beginSentence),
      walk(["x", "a", "b"], lm.nullContext),
      walk(["t", "a", "b"], lm.beginSentence),
    ].map(({ states }) => states[states.length - 1]);
    expect(fromX).toBe(fromBegin);
    expect(fromT).toBe(fromBegin);
    expect(after(lm.nullContext, "a")).not.toBe(fromBegin);
  });

  it("rejects indices that are not states or words", () => {
    expect(() => lm.baseScore(-1, 3, next)).toThrow(RangeError);
    expect(() => lm.baseScore(1e9, 3, next)).toThrow(RangeError);
    expect(() => lm.baseScore(lm.nullContext, 63, next)).toThrow(RangeError);
  });
});

describe("NGramLM: KenLM specifics", () => {
  const small = (unigrams: string, bigrams: string) =>
    `\\data\\\nngram 1=${unigrams.trim().split("\n").length}\nngram 2=${bigrams.trim().split("\n").length}\n\n` +
    `\\1-grams:\n${unigrams.trim()}\n\n\\2-grams:\n${bigrams.trim()}\n\n\\end\\\n`;
  const noUnknown = small("-1\t<s>\t-0.5\n-0.5\t</s>\n-0.3\ta\t-0.25", "-0.2\t<s> a\n-0.1\ta </s>");

  it("without <unk> in the ARPA file, unknown words score -100 and keep an <unk> state", () => {
    const model = NGramLM.fromArpa(noUnknown);
    expect(model.vocabulary).toEqual(["<unk>", "<s>", "</s>", "a"]);
    // KenLM substitutes log10 p(<unk>) = -100 with backoff +0.0 ("may extend").
    expectClose(model.score("zz", { bos: false, eos: false }), -100);
    const next = new Int32Array(1);
    model.baseScore(model.nullContext, 0, next);
    expect(next[0]).not.toBe(model.nullContext);
    // <s> zz </s>: backoff(<s>) + p(<unk>), then p(</s>) from the <unk> context (backoff 0).
    expectClose(model.score("zz"), -0.5 - 100 - 0.5);
  });

  it("sums in float32 like KenLM", () => {
    const model = NGramLM.fromArpa(noUnknown);
    const score = model.score("a ".repeat(1000), { bos: false, eos: false });
    expect(Math.fround(score)).toBe(score);
  });

  it("with bos and eos splits on ASCII whitespace only (C++ ScoreSentence), else like str.split()", () => {
    // U+00A0 joins "a\u00a0a" into one unknown word in ScoreSentence, but str.split() splits there.
    expectClose(lm.score("a\u00a0a"), lm.score("<unk>"));
    expectClose(lm.score("a\u00a0a", { eos: false }), lm.score("a a", { eos: false }));
  });

  it("accepts CRLF line ends, blank lines and UTF-8 bytes", () => {
    const model = NGramLM.fromArpa(new TextEncoder().encode(noUnknown.replaceAll("\n", "\r\n\n")));
    expectClose(model.score("a"), NGramLM.fromArpa(noUnknown).score("a"));
  });
});

describe("NGramLM.fromArpa: ARPA errors name the line", () => {
  const valid = [
    "\\data\\",
    "ngram 1=4",
    "ngram 2=2",
    "",
    "\\1-grams:",
    "-1\t<unk>\t0",
    "-1\t<s>\t-0.5",
    "-0.5\t</s>",
    "-0.3\ta\t-0.25",
    "",
    "\\2-grams:",
    "-0.2\t<s> a",
    "-0.1\ta </s>",
    "",
    "\\end\\",
  ];
  const withLine = (line: number, text: string | null) => {
    const lines = [...valid];
    if (text === null) lines.splice(line - 1, 1);
    else lines[line - 1] = text;
    return lines.join("\n");
  };
  const errorOf = (arpa: string) => {
    try {
      NGramLM.fromArpa(arpa);
    } catch (error) {
      expect(error).toBeInstanceOf(ArpaFormatError);
      return (error as Error).message;
    }
    throw new Error("expected an ArpaFormatError");
  };

  it("reads the valid file", () => {
    expect(NGramLM.fromArpa(valid.join("\n")).ngramCounts).toEqual([4, 2]);
  });

  it.each([
    ["missing \\data\\", withLine(1, "data"), /^ARPA line 1: expected the \\data\\ header/],
    ["empty file", "", /^ARPA line 1: expected the \\data\\ header/],
    ["counts out of order", withLine(2, "ngram 2=4"), /^ARPA line 2: .*expected order 1, found 2/],
    ["one order only", withLine(3, ""), /^ARPA line 5: expected at least 2 orders/],
    [
      "fewer 1-grams than declared",
      withLine(2, "ngram 1=5"),
      /^ARPA line 11: .*declares 5 1-grams but the section lists 4/,
    ],
    [
      "more 2-grams than declared",
      withLine(3, "ngram 2=1"),
      /^ARPA line 13: expected \\end\\ after the 2-grams; found "-0.1\ta <\/s>"/,
    ],
    ["malformed probability", withLine(8, "-0.5x\t</s>"), /^ARPA line 8: malformed n-gram line/],
    ["probability only", withLine(8, "-0.5"), /^ARPA line 8: malformed n-gram line/],
    ["positive probability", withLine(8, "0.5\t</s>"), /^ARPA line 8: positive log10 probability/],
    [
      "too few words",
      withLine(12, "-0.2\t<s>"),
      /^ARPA line 12: expected 2 words in a 2-gram, found 1/,
    ],
    [
      "too many words",
      withLine(12, "-0.2\t<s> a a"),
      /^ARPA line 12: expected 2 words in a 2-gram, found 3/,
    ],
    [
      "bad backoff",
      withLine(9, "-0.3\ta\tslow"),
      /^ARPA line 9: expected 1 word in a 1-gram, found 2/,
    ],
    [
      "backoff on the highest order",
      withLine(13, "-0.1\ta </s>\t-0.3"),
      /^ARPA line 13: highest-order 2-gram with a non-zero backoff/,
    ],
    [
      "word not among the 1-grams",
      withLine(13, "-0.1\tb </s>"),
      /^ARPA line 13: word "b" is not among the 1-grams/,
    ],
    ["duplicate 1-gram", withLine(9, "-0.3\t</s>"), /^ARPA line 9: this 1-gram is listed twice/],
    [
      "duplicate 2-gram",
      withLine(13, "-0.1\t<s> a"),
      /^ARPA line 13: 2-gram cannot be added: it is listed twice/,
    ],
    ["missing </s>", withLine(8, "-0.5\tb"), /^ARPA line 9: the 1-grams lack <\/s>/],
    [
      "wrong section header",
      withLine(11, "\\3-grams:"),
      /^ARPA line 11: expected \\2-grams:; found "\\3-grams:"/,
    ],
    [
      "missing \\end\\",
      withLine(15, null),
      /^ARPA line 14: expected \\end\\ after the 2-grams; the file ends/,
    ],
    [
      "text after \\end\\",
      `${valid.join("\n")}\nmore`,
      /^ARPA line 16: unexpected text after \\end\\/,
    ],
  ])("%s", (_name, arpa, message) => {
    expect(errorOf(arpa)).toMatch(message);
  });

  it("needs every context listed", () => {
    const arpa = [
      ...valid.slice(0, 3),
      "ngram 3=1",
      ...valid.slice(3, 13),
      "",
      "\\3-grams:",
      "-0.1\ta <s> a",
      "",
      "\\end\\",
    ].join("\n");
    expect(errorOf(arpa)).toMatch(
      /^ARPA line 17: 3-gram cannot be added: its context \(first 2 words\) is not a listed 2-gram/,
    );
  });
});
