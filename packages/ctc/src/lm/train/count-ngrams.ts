import { EMPTY_CONTEXT, NGramTable } from "./ngram-table.js";
import { BOS_ID, EOS_ID, Vocabulary } from "./vocabulary.js";

/** Raw n-gram counts of a corpus, before Kneser-Ney adjusts them. */
export interface RawNGramCounts {
  readonly vocabulary: Vocabulary;
  /**
   * Index n-1: the n-grams of order n, with `counts` = how often each occurs
   * as n consecutive tokens of a line read as `<s> w1 ... wk </s>`. Unigram id
   * equals word id. These are exactly the n-grams lmplz keeps: its padding
   * with n-1 `<s>` only produces n-grams that it collapses away.
   */
  readonly tables: readonly NGramTable[];
  /** Lines read (each one sentence). */
  readonly sentenceCount: number;
  /** Words read, `<s>` and `</s>` not included (lmplz's "token count"). */
  readonly tokenCount: number;
}

/** lmplz's word delimiters within a line (its `ReadWordSameLine`): NUL, tab, CR, space. */
const WORD_DELIMITERS = /[\0\t\r ]+/;

/**
 * Counts the n-grams of orders 1..`order` in `lines`, one sentence per line;
 * an empty line is the sentence `<s> </s>`, as in lmplz.
 */
export function countNGrams(lines: Iterable<string>, order: number): RawNGramCounts {
  const vocabulary = new Vocabulary();
  const tables = Array.from({ length: order }, () => new NGramTable());
  const unigrams = tables[0] as NGramTable;
  for (let id = 0; id < vocabulary.size; id++) unigrams.findOrInsert(EMPTY_CONTEXT, id);

  let sentence = new Int32Array(256);
  let sentenceCount = 0;
  let tokenCount = 0;
  for (const line of lines) {
    if (line.includes("\n")) {
      throw new RangeError(
        `trainKneserNey: line ${sentenceCount + 1} contains a newline; pass one line per item`,
      );
    }
    const words = line.split(WORD_DELIMITERS).filter((word) => word !== "");
    if (words.length + 2 > sentence.length) sentence = new Int32Array(2 * (words.length + 2));
    sentence[0] = BOS_ID;
    let length = 1;
    for (const word of words) {
      const id = vocabulary.idOfCorpusWord(word);
      // Unigram id = word id: a new word is the next unigram.
      if (id === unigrams.size) unigrams.findOrInsert(EMPTY_CONTEXT, id);
      sentence[length++] = id;
    }
    sentence[length++] = EOS_ID;
    countWindows(sentence, length, tables);
    sentenceCount++;
    tokenCount += words.length;
  }
  for (const table of tables) table.trim();
  return { vocabulary, tables, sentenceCount, tokenCount };
}

/** Adds every window of 1..tables.length tokens of `sentence[0..length)`. */
function countWindows(sentence: Int32Array, length: number, tables: readonly NGramTable[]): void {
  const unigrams = tables[0] as NGramTable;
  for (let start = 0; start < length; start++) {
    let id = sentence[start] ?? 0;
    unigrams.counts[id] = (unigrams.counts[id] ?? 0) + 1;
    const longest = Math.min(tables.length, length - start);
    for (let n = 2; n <= longest; n++) {
      const table = tables[n - 1] as NGramTable;
      id = table.findOrInsert(id, sentence[start + n - 1] ?? 0);
      table.counts[id] = (table.counts[id] ?? 0) + 1;
    }
  }
}
