import { formatKenLmFloat } from "./kenlm-float.js";
import type { KneserNeyModel, KneserNeyOrder } from "./kneser-ney-model.js";

/**
 * The model as an ARPA file laid out as lmplz writes it: `\data\` with the
 * n-gram counts, then per order `log10 prob <TAB> words [<TAB> log10 backoff]`
 * (no back-off column in the highest order), unigrams in vocabulary order and
 * higher orders in suffix order (by last word, then the one before, ...), then
 * `\end\`.
 */
export function toArpa(model: KneserNeyModel): string {
  return [...arpaChunks(model)].join("");
}

/** {@link toArpa}'s text in pieces, one per section, for writing without one big string. */
export function* arpaChunks(model: KneserNeyModel): Generator<string> {
  yield `\\data\\\n${model.orders.map((o) => `ngram ${o.order}=${o.size}\n`).join("")}\n`;
  const words = model.vocabulary.words;
  // texts[id] of the previous order: the words of each n-gram, "w1 w2 ...".
  let lowerTexts: string[] = [];
  let lowerRanks: Int32Array = new Int32Array(0);
  let lowerFirstWordIds: Int32Array = new Int32Array(0);
  for (const order of model.orders) {
    const highest = order.order === model.order;
    const texts = new Array<string>(order.size);
    for (let id = 0; id < order.size; id++) {
      const word = words[order.wordIds[id] ?? 0] ?? "";
      texts[id] = order.order === 1 ? word : `${lowerTexts[order.contextIds[id] ?? 0]} ${word}`;
    }
    // w1 of an n-gram is w1 of its context; a unigram's id is its word id.
    const firstWordIds =
      order.order === 1
        ? identity(order.size)
        : order.contextIds.map((id) => lowerFirstWordIds[id] ?? 0);
    const sorted =
      order.order === 1 ? firstWordIds : suffixOrder(order, firstWordIds, lowerRanks, words.length);
    const lines: string[] = [`\\${order.order}-grams:\n`];
    for (const id of sorted) {
      const prob = formatKenLmFloat(order.logProbs[id] ?? 0);
      lines.push(
        highest
          ? `${prob}\t${texts[id]}\n`
          : `${prob}\t${texts[id]}\t${formatKenLmFloat(order.logBackoffs[id] ?? 0)}\n`,
      );
    }
    lines.push("\n");
    yield lines.join("");
    lowerTexts = texts;
    lowerRanks = ranksOf(sorted);
    lowerFirstWordIds = firstWordIds;
  }
  yield "\\end\\\n";
}

function identity(size: number): Int32Array {
  return Int32Array.from({ length: size }, (_, id) => id);
}

function ranksOf(sorted: Int32Array): Int32Array {
  const ranks = new Int32Array(sorted.length);
  sorted.forEach((id, rank) => {
    ranks[id] = rank;
  });
  return ranks;
}

/**
 * Ids of an order sorted by (rank of suffix w2..wn in the order below, first
 * word w1): suffix order, since the suffix's rank already orders wn, w(n-1),
 * ..., w2. Two stable counting sorts, least significant key first.
 */
function suffixOrder(
  order: KneserNeyOrder,
  firstWordIds: Int32Array,
  lowerRanks: Int32Array,
  vocabularySize: number,
): Int32Array {
  const byFirstWord = byKey(identity(order.size), (id) => firstWordIds[id] ?? 0, vocabularySize);
  return byKey(byFirstWord, (id) => lowerRanks[order.suffixIds[id] ?? 0] ?? 0, lowerRanks.length);
}

/** Stable counting sort of `ids` by an integer key in [0, keyCount). */
function byKey(ids: Int32Array, key: (id: number) => number, keyCount: number): Int32Array {
  const starts = new Int32Array(keyCount + 1);
  for (const id of ids) starts[key(id) + 1] = (starts[key(id) + 1] ?? 0) + 1;
  for (let k = 0; k < keyCount; k++) starts[k + 1] = (starts[k + 1] ?? 0) + (starts[k] ?? 0);
  const sorted = new Int32Array(ids.length);
  for (const id of ids) {
    const k = key(id);
    sorted[starts[k] ?? 0] = id;
    starts[k] = (starts[k] ?? 0) + 1;
  }
  return sorted;
}
