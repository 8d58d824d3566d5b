export { arpaChunks, toArpa } from "./arpa-writer.js";
export { logProbWithBackoff, sentenceLogProb } from "./backoff-score.js";
export {
  type CountsOfCounts,
  DEFAULT_FALLBACK_DISCOUNTS,
  type KneserNeyDiscount,
} from "./discounts.js";
export { findNGram, type NGramLocation } from "./find-ngram.js";
export { formatKenLmFloat } from "./kenlm-float.js";
export type { KneserNeyModel, KneserNeyOrder } from "./kneser-ney-model.js";
export { prepareCharLmLines, prepareCharLmText } from "./prepare-char-lm-text.js";
export { type KneserNeyOptions, MAX_ORDER, trainKneserNey } from "./train-kneser-ney.js";
export { BOS_ID, EOS_ID, UNK_ID, type Vocabulary as KneserNeyVocabulary } from "./vocabulary.js";
export { ABBREVIATIONS, tokenizeWords } from "./word-tokenizer.js";
