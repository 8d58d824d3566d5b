/**
 * @emgkit/ctc: CTC loss with gradient for TensorFlow.js, greedy and beam-search
 * decoders with emg2qwerty's backspace-aware semantics, and character n-gram
 * language models (KenLM-compatible ARPA scoring, Kneser-Ney training).
 */
export * from "./decode/index.js";
export { ArpaFormatError } from "./lm/arpa-parser.js";
export type { LanguageModel } from "./lm/language-model.js";
export { NGramLM } from "./lm/ngram-lm.js";
export * from "./lm/train/index.js";
export type { CtcLossOptions, CtcReduction } from "./loss/ctc-loss.js";
export { ctcLoss } from "./loss/ctc-loss.js";
export type { CtcTargets, IntegerInput } from "./loss/targets.js";
