import type { CountsOfCounts, KneserNeyDiscount } from "./discounts.js";
import type { Vocabulary } from "./vocabulary.js";

/**
 * The n-grams of one order n of a trained model, all indexed by n-gram id
 * (0..size-1). Ids of order n-1 are those of `orders[n-2]`.
 */
export interface KneserNeyOrder {
  /** n. */
  readonly order: number;
  /** Number of n-grams (the ARPA `ngram n=` count). */
  readonly size: number;
  /** Id of w1..w(n-1) in order n-1 (-1 for unigrams, whose id is their word id). */
  readonly contextIds: Int32Array;
  /** Id of the last word wn. */
  readonly wordIds: Int32Array;
  /** Id of the suffix w2..wn in order n-1 (-1 for unigrams). */
  readonly suffixIds: Int32Array;
  /** Occurrences as consecutive tokens of `<s> line </s>` (the unigram `<s>`: the number of lines). */
  readonly rawCounts: Uint32Array;
  /** The counts that were discounted: see {@link adjustCounts}. */
  readonly adjustedCounts: Uint32Array;
  /** How many n-grams have adjusted count 1..4. */
  readonly countsOfCounts: CountsOfCounts;
  /** Discounts of this order, taken from adjusted counts of n-grams extending a context. */
  readonly discount: KneserNeyDiscount;
  /** log10 p(wn | w1..w(n-1)), interpolated with the lower orders (lmplz's float32 value). */
  readonly logProbs: Float32Array;
  /**
   * log10 of the back-off weight of w1..wn as a context (the interpolation
   * weight gamma of the next order); 0 when it is no context (ends with
   * `</s>`), and 0 throughout the highest order.
   */
  readonly logBackoffs: Float32Array;
  /** Id of the n-gram (id of w1..w(n-1) in order n-1, or -1 for unigrams; id of wn), or -1. */
  find(contextId: number, wordId: number): number;
}

/** An interpolated modified Kneser-Ney n-gram model, as lmplz estimates it. */
export interface KneserNeyModel {
  /** Highest order. */
  readonly order: number;
  /** Words and their ids: `<unk>` 0, `<s>` 1, `</s>` 2, then in order of first appearance. */
  readonly vocabulary: Vocabulary;
  /** Index n-1: the n-grams of order n. */
  readonly orders: readonly KneserNeyOrder[];
  /** Lines read. */
  readonly sentenceCount: number;
  /** Words read, not counting `<s>` and `</s>`. */
  readonly tokenCount: number;
}
