/**
 * What the beam decoder needs from a language model: KenLM's state API over
 * word (here: character token) indices, scores in log10.
 *
 * States are small non-negative integers that the model hands out. Two states
 * are equal (`===`) exactly when they stand for the same scoring context; in
 * particular a state equals `beginSentence` only when it is the `<s>` context,
 * as KenLM's `State ==` behaves for emg2qwerty's decoder.
 */
export interface LanguageModel {
  /** Highest n-gram order. */
  readonly order: number;
  /** State after `<s>` (KenLM's `BeginSentenceWrite`). */
  readonly beginSentence: number;
  /** The empty context (KenLM's `NullContextWrite`). */
  readonly nullContext: number;
  /**
   * Index of a token in the vocabulary, or 0 (`<unk>`) when it is not in it
   * (KenLM's `vocabulary.Index`).
   */
  index(token: string): number;
  /** Whether a token is in the vocabulary (KenLM's `token in model`; false for `<unk>`). */
  has(token: string): boolean;
  /**
   * log10 p(word | state) and the state after it (KenLM's `BaseScore`):
   * returns the score and writes the next state to `next[0]`.
   */
  baseScore(state: number, word: number, next: Int32Array): number;
  /**
   * log10 probability of a space-separated token sequence (KenLM's
   * `Model.score`): from `<s>` when `bos` (default true), adding `</s>` when
   * `eos` (default true).
   */
  score(sentence: string, options?: { bos?: boolean; eos?: boolean }): number;
}
