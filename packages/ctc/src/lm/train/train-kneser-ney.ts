import { adjustCounts } from "./adjusted-counts.js";
import { countNGrams } from "./count-ngrams.js";
import {
  countCounts,
  type KneserNeyDiscount,
  kneserNeyDiscount,
  parseDiscountFallback,
} from "./discounts.js";
import type { KneserNeyModel, KneserNeyOrder } from "./kneser-ney-model.js";
import { linkNGrams } from "./ngram-links.js";
import type { NGramTable } from "./ngram-table.js";
import { BOS_ID, UNK_ID } from "./vocabulary.js";

const f = Math.fround;

/** The highest order accepted; lmplz's default build stops at 6. */
export const MAX_ORDER = 16;

export interface KneserNeyOptions {
  /** Highest n-gram order (lmplz `-o`). */
  readonly order: number;
  /**
   * lmplz's `--discount_fallback`: discounts for counts 1, 2, 3+ used for an
   * order whose closed-form discounts fail (`true`: 0.5, 1, 1.5). Without
   * it, such an order throws, as lmplz does.
   */
  readonly discountFallback?: boolean | readonly number[];
}

/**
 * Trains an interpolated modified Kneser-Ney model like `lmplz -o <order>`
 * (no pruning, `--interpolate_unigrams` on): one sentence per line, words
 * separated by spaces or tabs.
 */
export function trainKneserNey(lines: Iterable<string>, options: KneserNeyOptions): KneserNeyModel {
  const { order } = options;
  if (!Number.isInteger(order) || order < 1 || order > MAX_ORDER) {
    throw new RangeError(
      `trainKneserNey: order must be an integer from 1 to ${MAX_ORDER}, got ${order}`,
    );
  }
  const fallback = parseDiscountFallback(options.discountFallback);
  const { vocabulary, tables, sentenceCount, tokenCount } = countNGrams(lines, order);
  if (sentenceCount === 0) throw new RangeError("trainKneserNey: no lines to train on");

  const links = linkNGrams(tables);
  const adjusted = adjustCounts(tables, links);
  const countsOfCounts = adjusted.map(countCounts);
  const discounts = countsOfCounts.map((counts, index) =>
    kneserNeyDiscount(counts, index + 1, fallback),
  );
  const contexts = tables.map((table, index) =>
    contextStatistics(
      table,
      adjusted[index] as Uint32Array,
      discounts[index] as KneserNeyDiscount,
      index === 0 ? 1 : (tables[index - 1] as NGramTable).size,
    ),
  );

  // lmplz spreads the unigram interpolation mass uniformly over the vocabulary without <s>.
  const uniform = f(1 / f(vocabulary.size - 1));
  const probs: Float32Array[] = [];
  const orders: KneserNeyOrder[] = tables.map((table, index) => {
    const stats = contexts[index] as ContextStatistics;
    const probsOfOrder = interpolatedProbabilities(
      table,
      adjusted[index] as Uint32Array,
      discounts[index] as KneserNeyDiscount,
      stats,
      index === 0
        ? undefined
        : {
            lower: probs[index - 1] as Float32Array,
            suffixIds: links.suffixIds[index] as Int32Array,
          },
      uniform,
    );
    probs.push(probsOfOrder);
    const logProbs = new Float32Array(table.size);
    for (let id = 0; id < table.size; id++)
      logProbs[id] = Math.min(0, log10f(probsOfOrder[id] ?? 0));
    return {
      order: index + 1,
      size: table.size,
      contextIds: table.contextIds,
      wordIds: table.wordIds,
      suffixIds: links.suffixIds[index] as Int32Array,
      rawCounts: table.counts,
      adjustedCounts: adjusted[index] as Uint32Array,
      countsOfCounts: countsOfCounts[index] as KneserNeyOrder["countsOfCounts"],
      discount: discounts[index] as KneserNeyDiscount,
      logProbs,
      logBackoffs: logBackoffs(table.size, contexts[index + 1]),
      find: (contextId, wordId) => table.find(contextId, wordId),
    };
  });
  return { order, vocabulary, orders, sentenceCount, tokenCount };
}

/** Per context (order n-1 id; a single one for unigrams): what predicting order n from it needs. */
interface ContextStatistics {
  /** Sum of the adjusted counts of the context's extensions (float32, as lmplz keeps it). */
  readonly denominators: Float32Array;
  /**
   * Interpolation weight gamma = (D1 N1 + D2 N2 + D3+ N3+) / denominator, with
   * Nk the number of extensions of adjusted count k (3+: at least 3): the mass
   * the discounts free, given to the lower order. Also the context's back-off.
   */
  readonly gammas: Float32Array;
}

function contextStatistics(
  table: NGramTable,
  adjustedCounts: Uint32Array,
  discount: KneserNeyDiscount,
  contextCount: number,
): ContextStatistics {
  const sums = new Float64Array(contextCount);
  const byCount = [
    new Uint32Array(contextCount),
    new Uint32Array(contextCount),
    new Uint32Array(contextCount),
  ];
  for (let id = 0; id < table.size; id++) {
    // Unigrams all extend the empty context, kept in slot 0.
    const context = Math.max(0, table.contextIds[id] ?? 0);
    const count = adjustedCounts[id] ?? 0;
    sums[context] = (sums[context] ?? 0) + count;
    if (count > 0) {
      const bucket = byCount[Math.min(count, 3) - 1] as Uint32Array;
      bucket[context] = (bucket[context] ?? 0) + 1;
    }
  }
  const denominators = new Float32Array(contextCount);
  const gammas = new Float32Array(contextCount);
  const amounts = [discount.d1, discount.d2, discount.d3Plus];
  for (let context = 0; context < contextCount; context++) {
    const denominator = f(sums[context] ?? 0);
    if (denominator === 0) continue;
    let gamma = 0;
    for (let k = 0; k < 3; k++)
      gamma = f(gamma + f((amounts[k] ?? 0) * f(byCount[k]?.[context] ?? 0)));
    denominators[context] = denominator;
    gammas[context] = f(gamma / denominator);
  }
  return { denominators, gammas };
}

/**
 * p(wn | w1..w(n-1)) = (c - D(c)) / denominator + gamma(w1..w(n-1)) p(wn | w2..w(n-1)),
 * in float32 as lmplz computes it; for unigrams the lower distribution is
 * uniform, `<unk>` gets only the interpolated share and `<s>` gets 1.
 */
function interpolatedProbabilities(
  table: NGramTable,
  adjustedCounts: Uint32Array,
  discount: KneserNeyDiscount,
  stats: ContextStatistics,
  lowerOrder: { lower: Float32Array; suffixIds: Int32Array } | undefined,
  uniform: number,
): Float32Array {
  const amounts = [0, discount.d1, discount.d2, discount.d3Plus];
  const probs = new Float32Array(table.size);
  for (let id = 0; id < table.size; id++) {
    const context = lowerOrder === undefined ? 0 : (table.contextIds[id] ?? 0);
    const count = adjustedCounts[id] ?? 0;
    const lowerProb =
      lowerOrder === undefined ? uniform : (lowerOrder.lower[lowerOrder.suffixIds[id] ?? 0] ?? 0);
    const discounted =
      lowerOrder === undefined && id === UNK_ID
        ? 0
        : f(f(count - (amounts[Math.min(count, 3)] ?? 0)) / (stats.denominators[context] ?? 0));
    probs[id] = f(discounted + f((stats.gammas[context] ?? 0) * lowerProb));
  }
  // <s> is never predicted; probability 1 lets it be scored without effect (lmplz's choice).
  if (lowerOrder === undefined) probs[BOS_ID] = 1;
  return probs;
}

/** Back-offs of an order's n-grams: log10 gamma where the n-gram is a context of the next order. */
function logBackoffs(size: number, nextOrder: ContextStatistics | undefined): Float32Array {
  const backoffs = new Float32Array(size);
  if (nextOrder === undefined) return backoffs;
  for (let id = 0; id < size; id++) {
    if ((nextOrder.denominators[id] ?? 0) > 0) backoffs[id] = log10f(nextOrder.gammas[id] ?? 0);
  }
  return backoffs;
}

function log10f(x: number): number {
  return f(Math.log10(x));
}
