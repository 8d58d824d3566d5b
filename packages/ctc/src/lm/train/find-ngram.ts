import type { KneserNeyModel } from "./kneser-ney-model.js";
import { EMPTY_CONTEXT } from "./ngram-table.js";
import { UNK_ID } from "./vocabulary.js";

/** Where an n-gram sits in a model: order n and its id in `model.orders[n-1]`. */
export interface NGramLocation {
  readonly order: number;
  readonly id: number;
}

/** Locates the n-gram `words` (1..model.order words), or undefined when the model lacks it. */
export function findNGram(
  model: KneserNeyModel,
  words: readonly string[],
): NGramLocation | undefined {
  if (words.length === 0 || words.length > model.order) return undefined;
  let id = EMPTY_CONTEXT;
  for (let n = 0; n < words.length; n++) {
    const wordId = model.vocabulary.idOf(words[n] ?? "");
    if (wordId === UNK_ID && words[n] !== "<unk>") return undefined;
    id = model.orders[n]?.find(id, wordId) ?? -1;
    if (id < 0) return undefined;
  }
  return { order: words.length, id };
}
