import { EMPTY_CONTEXT, type NGramTable } from "./ngram-table.js";

/** How the n-grams of consecutive orders refer to each other, per order (index n-1). */
export interface NGramLinks {
  /**
   * Per n-gram w1..wn: id of its suffix w2..wn in the table of order n-1
   * ({@link EMPTY_CONTEXT} for unigrams): the lower-order n-gram that
   * Kneser-Ney interpolates with and backs off to.
   */
  readonly suffixIds: readonly Int32Array[];
  /** Per n-gram: id of its first word w1. */
  readonly firstWordIds: readonly Int32Array[];
}

/**
 * Links every n-gram to its suffix and first word. Every suffix is present:
 * a window's sub-windows are windows too.
 */
export function linkNGrams(tables: readonly NGramTable[]): NGramLinks {
  const suffixIds: Int32Array[] = [];
  const firstWordIds: Int32Array[] = [];
  tables.forEach((table, index) => {
    const suffixes = new Int32Array(table.size);
    const firstWords = new Int32Array(table.size);
    if (index === 0) {
      suffixes.fill(EMPTY_CONTEXT);
      firstWords.set(table.wordIds);
    } else {
      const lower = tables[index - 1] as NGramTable;
      const contextSuffixes = suffixIds[index - 1] as Int32Array;
      const contextFirstWords = firstWordIds[index - 1] as Int32Array;
      for (let id = 0; id < table.size; id++) {
        const context = table.contextIds[id] ?? 0;
        const word = table.wordIds[id] ?? 0;
        // w2..wn = (w2..w(n-1)) + wn, and w2..w(n-1) is the context's suffix.
        const suffix =
          index === 1 ? word : lower.find(contextSuffixes[context] ?? EMPTY_CONTEXT, word);
        if (suffix < 0) throw new Error(`internal: the suffix of a ${index + 1}-gram is missing`);
        suffixes[id] = suffix;
        firstWords[id] = contextFirstWords[context] ?? 0;
      }
    }
    suffixIds.push(suffixes);
    firstWordIds.push(firstWords);
  });
  return { suffixIds, firstWordIds };
}
