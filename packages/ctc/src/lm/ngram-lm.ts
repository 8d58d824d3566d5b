import { type ArpaModel, parseArpa } from "./arpa-parser.js";
import type { LanguageModel } from "./language-model.js";
import { EMPTY_CONTEXT, type NGramTable } from "./ngram-table.js";
import { sentenceWords } from "./sentence-words.js";
import { BEGIN_SENTENCE_TOKEN, END_SENTENCE_TOKEN, type Vocabulary } from "./vocabulary.js";

const utf8 = new TextEncoder();

/**
 * A back-off n-gram language model read from an ARPA file, scoring as KenLM
 * does (log10, float32 arithmetic):
 *
 *     log10 p(w | h) = log10 p(h w)                   if "h w" is listed
 *                    = backoff(h) + log10 p(w | h')    otherwise, h' = h without its oldest word
 *
 * with words outside the vocabulary scored as `<unk>`.
 *
 * States are KenLM's minimal states as table entries: the longest suffix of
 * the history (at most order - 1 words) that is listed and can still change a
 * later score. So equal states mean equal contexts, `beginSentence` is the
 * `<s>` entry, and the state after `<unk>` (or `</s>`) is `nullContext`
 * unless the model lists longer n-grams starting with it.
 *
 * baseScore: O(order) hash lookups at worst, usually one or two.
 */
export class NGramLM implements LanguageModel {
  readonly order: number;
  readonly beginSentence: number;
  readonly nullContext = EMPTY_CONTEXT;
  /** Tokens by index: `vocabulary[0]` is `<unk>`, then the 1-grams in ARPA order. */
  readonly vocabulary: readonly string[];
  /** Number of k-grams at index k - 1, as the ARPA file lists them. */
  readonly ngramCounts: readonly number[];
  private readonly words: Vocabulary;
  private readonly table: NGramTable;
  private readonly endSentence: number;
  /** Backoffs passed over in one baseScore, longest context first. */
  private readonly passedBackoffs: Float32Array;
  private readonly scratchState = new Int32Array(1);

  private constructor({ vocabulary, table, ngramCounts }: ArpaModel) {
    this.words = vocabulary;
    this.table = table;
    this.order = table.order;
    this.vocabulary = vocabulary.tokens;
    this.ngramCounts = ngramCounts;
    this.beginSentence = table.child(EMPTY_CONTEXT, vocabulary.index(BEGIN_SENTENCE_TOKEN));
    this.endSentence = vocabulary.index(END_SENTENCE_TOKEN);
    this.passedBackoffs = new Float32Array(table.order);
  }

  /**
   * Reads an ARPA model (text, or its UTF-8 bytes). O(size); throws
   * `ArpaFormatError` ("ARPA line N: ...") on a malformed file.
   */
  static fromArpa(arpa: string | Uint8Array): NGramLM {
    return new NGramLM(parseArpa(typeof arpa === "string" ? utf8.encode(arpa) : arpa));
  }

  index(token: string): number {
    return this.words.index(token);
  }

  has(token: string): boolean {
    return this.words.index(token) !== 0;
  }

  baseScore(state: number, word: number, next: Int32Array): number {
    const { table, passedBackoffs } = this;
    if (!(state >= 0 && state < table.contextCount)) throw new RangeError(`not a state: ${state}`);
    if (!(word >= 0 && word < this.vocabulary.length))
      throw new RangeError(`not a word index: ${word}`);
    let context = state;
    let passed = 0;
    let entry = table.child(context, word);
    while (entry < 0) {
      passedBackoffs[passed++] = table.backoff[context] as number;
      context = table.shorterContext[context] as number;
      entry = table.child(context, word);
    }
    // KenLM adds the passed backoffs to the probability in float32, shortest context first.
    let score = table.probability[entry] as number;
    while (passed > 0) score = Math.fround(score + (passedBackoffs[--passed] as number));
    next[0] = table.stateAfter[entry] as number;
    return score;
  }

  /** KenLM's `Model.score`, which sums in float32 too. O(words x order). */
  score(sentence: string, options: { bos?: boolean; eos?: boolean } = {}): number {
    const bos = options.bos ?? true;
    const eos = options.eos ?? true;
    const next = this.scratchState;
    let state = bos ? this.beginSentence : this.nullContext;
    let total = 0;
    for (const word of sentenceWords(sentence, bos, eos)) {
      total = Math.fround(total + this.baseScore(state, this.words.index(word), next));
      state = next[0] as number;
    }
    if (eos) total = Math.fround(total + this.baseScore(state, this.endSentence, next));
    return total;
  }
}
