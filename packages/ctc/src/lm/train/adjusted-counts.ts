import type { NGramLinks } from "./ngram-links.js";
import type { NGramTable } from "./ngram-table.js";
import { BOS_ID } from "./vocabulary.js";

/**
 * The counts that modified Kneser-Ney discounts, per order (index n-1), as
 * lmplz's `AdjustCounts` makes them:
 * - highest order: the raw count;
 * - an n-gram starting with `<s>`: the raw count (nothing can precede `<s>`,
 *   so it has no continuation count);
 * - any other lower-order n-gram w1..wn: its continuation count N1+(. w1..wn),
 *   the number of distinct words v (`<s>` included) such that v w1..wn occurs;
 * - the unigram `<s>` (and `<unk>`, never seen): 0.
 */
export function adjustCounts(tables: readonly NGramTable[], links: NGramLinks): Uint32Array[] {
  const highest = tables.length - 1;
  return tables.map((table, index) => {
    if (index === highest) {
      const counts = table.counts.slice();
      if (index === 0) counts[BOS_ID] = 0;
      return counts;
    }
    const counts = new Uint32Array(table.size);
    const higher = tables[index + 1] as NGramTable;
    const higherSuffixes = links.suffixIds[index + 1] as Int32Array;
    // Each higher n-gram v w1..wn is distinct, so each adds one left extension to w1..wn.
    for (let id = 0; id < higher.size; id++) {
      const suffix = higherSuffixes[id] ?? 0;
      counts[suffix] = (counts[suffix] ?? 0) + 1;
    }
    const firstWords = links.firstWordIds[index] as Int32Array;
    for (let id = 0; id < table.size; id++) {
      if (firstWords[id] === BOS_ID) counts[id] = table.counts[id] ?? 0;
    }
    if (index === 0) counts[BOS_ID] = 0;
    return counts;
  });
}
