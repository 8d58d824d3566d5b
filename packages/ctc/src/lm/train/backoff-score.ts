import type { KneserNeyModel } from "./kneser-ney-model.js";
import { EMPTY_CONTEXT } from "./ngram-table.js";
import { BOS_ID, EOS_ID } from "./vocabulary.js";

/**
 * log10 p(word | context) read from the model the way an ARPA reader does:
 * the longest n-gram (suffix of the context) + word that the model has, plus
 * the back-offs of the longer contexts it skipped. Unknown words are `<unk>`;
 * only the last order-1 context words matter.
 */
export function logProbWithBackoff(
  model: KneserNeyModel,
  context: readonly string[],
  word: string,
): number {
  const ids = [...context.slice(Math.max(0, context.length - model.order + 1)), word].map((w) =>
    model.vocabulary.idOf(w),
  );
  return logProbOfIds(model, ids);
}

/**
 * log10 of a sentence's probability (KenLM's `Model.score` with bos and eos):
 * each word and the final `</s>` scored after `<s>` and the words before.
 */
export function sentenceLogProb(model: KneserNeyModel, words: readonly string[]): number {
  const ids = [BOS_ID, ...words.map((w) => model.vocabulary.idOf(w)), EOS_ID];
  let total = 0;
  for (let end = 2; end <= ids.length; end++) {
    total += logProbOfIds(model, ids.slice(Math.max(0, end - model.order), end));
  }
  return total;
}

/** Scores the last id of `ids` after the ones before it (at most order-1 of them). */
function logProbOfIds(model: KneserNeyModel, ids: readonly number[]): number {
  // Match ever longer n-grams ending at the word: w, then v w, u v w, ...
  let logProb = 0;
  let matchedOrder = 0;
  const word = ids[ids.length - 1] ?? 0;
  for (let start = ids.length - 1; start >= 0; start--) {
    const id = locate(model, ids, start);
    if (id < 0) break;
    logProb = model.orders[ids.length - start - 1]?.logProbs[id] ?? 0;
    matchedOrder = ids.length - start;
  }
  if (matchedOrder === 0) throw new Error(`internal: word id ${word} has no unigram`);
  // Back off from every context longer than the one matched.
  for (let start = ids.length - 1 - matchedOrder; start >= 0; start--) {
    const contextLength = ids.length - 1 - start;
    const contextId = locate(model, ids.slice(0, ids.length - 1), start);
    if (contextId >= 0) logProb += model.orders[contextLength - 1]?.logBackoffs[contextId] ?? 0;
  }
  return logProb;
}

/** Id of the n-gram ids[start..], or -1. */
function locate(model: KneserNeyModel, ids: readonly number[], start: number): number {
  let id = EMPTY_CONTEXT;
  for (let i = start; i < ids.length; i++) {
    id = model.orders[i - start]?.find(id, ids[i] ?? 0) ?? -1;
    if (id < 0) return -1;
  }
  return id;
}
