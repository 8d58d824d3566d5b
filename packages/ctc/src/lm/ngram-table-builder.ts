import { NGramHash } from "./ngram-hash.js";
import { EMPTY_CONTEXT, NGramTable } from "./ngram-table.js";

/** KenLM's log10 probability for `<unk>` when an ARPA file does not list it. */
const MISSING_UNKNOWN_LOG_PROB = -100;

/**
 * Builds an {@link NGramTable} from n-grams given in ARPA order (all 1-grams,
 * then all 2-grams, ...). O(order) expected per n-gram, O(1) when consecutive
 * n-grams share their context, as sorted ARPA files mostly do.
 */
export class NGramTableBuilder {
  private readonly order: number;
  private readonly probability: Float32Array;
  private readonly backoff: Float32Array;
  private readonly shorterContext: Int32Array;
  /** Holds each entry's longest listed proper suffix until `finish` turns it into the state. */
  private readonly stateAfter: Int32Array;
  /** Contexts that some listed longer n-gram extends. */
  private readonly extended: Uint8Array;
  private readonly children: NGramHash;
  private nextEntry: number;
  /** The last n-gram's words and context entry, so a shared context is found once. */
  private readonly lastWords: Int32Array;
  private lastOrder = 0;
  private lastContext = EMPTY_CONTEXT;

  /**
   * `counts[k - 1]`: number of k-grams (order >= 2); the 1-grams are the
   * `vocabularySize` words, `<unk>` included even when the ARPA file lacks it.
   */
  constructor(counts: readonly number[], vocabularySize: number) {
    const higher = counts.slice(1).reduce((sum, count) => sum + count, 0);
    const entries = 1 + vocabularySize + higher;
    const contexts = entries - (counts[counts.length - 1] as number);
    this.order = counts.length;
    this.nextEntry = 1 + vocabularySize;
    this.probability = new Float32Array(entries);
    this.backoff = new Float32Array(contexts);
    this.shorterContext = new Int32Array(contexts);
    this.stateAfter = new Int32Array(entries);
    this.extended = new Uint8Array(contexts);
    this.children = new NGramHash(higher);
    this.lastWords = new Int32Array(counts.length);
  }

  /** Sets the 1-gram of `word` (vocabulary index). */
  setUnigram(word: number, probability: number, backoff: number): void {
    this.probability[word + 1] = probability;
    this.backoff[word + 1] = backoff;
  }

  /**
   * What KenLM substitutes when the ARPA file lists no `<unk>`: log10 p = -100
   * and a backoff of +0.0, which KenLM reads as "may be extended", so the state
   * after `<unk>` is then the `<unk>` context rather than the empty one.
   */
  setMissingUnknown(): void {
    this.setUnigram(0, MISSING_UNKNOWN_LOG_PROB, 0);
    this.extended[1] = 1;
  }

  /**
   * Adds an n-gram of order >= 2 (`words[0..order)`, oldest first). Returns
   * why it cannot be added (unlisted context, duplicate), or undefined.
   */
  addNGram(
    words: Int32Array,
    order: number,
    probability: number,
    backoff: number,
  ): string | undefined {
    const context = this.contextOf(words, order);
    if (context < 0)
      return `its context (first ${order - 1} words) is not a listed ${order - 1}-gram`;
    const word = words[order - 1] as number;
    const entry = this.nextEntry;
    if (!this.children.insert(context, word, entry)) return "it is listed twice";
    this.nextEntry++;
    this.probability[entry] = probability;
    if (context < this.extended.length) this.extended[context] = 1;
    const suffix = this.longestListedSuffix(context, word);
    this.stateAfter[entry] = suffix;
    if (order < this.order) {
      this.backoff[entry] = backoff;
      this.shorterContext[entry] = suffix;
    }
    return undefined;
  }

  /** Resolves every entry's state (ascending, as a suffix precedes its n-gram). O(entries). */
  finish(): NGramTable {
    const { stateAfter, backoff, extended } = this;
    const contexts = backoff.length;
    for (let entry = 1; entry < stateAfter.length; entry++) {
      const keepsItself = entry < contexts && (extended[entry] === 1 || backoff[entry] !== 0);
      stateAfter[entry] = keepsItself ? entry : (stateAfter[stateAfter[entry] as number] as number);
    }
    return new NGramTable(
      this.order,
      this.probability,
      backoff,
      this.shorterContext,
      stateAfter,
      this.children,
    );
  }

  /** Entry of words[0..order-1), or -1 when one of its prefixes is not listed. */
  private contextOf(words: Int32Array, order: number): number {
    const contextLength = order - 1;
    let shared = 0;
    if (order === this.lastOrder) {
      while (shared < contextLength && words[shared] === this.lastWords[shared]) shared++;
    }
    if (shared < contextLength) {
      let context = EMPTY_CONTEXT;
      for (let i = 0; i < contextLength && context >= 0; i++) {
        context = this.child(context, words[i] as number);
      }
      this.lastContext = context;
    }
    this.lastOrder = order;
    this.lastWords.set(words.subarray(0, order));
    return this.lastContext;
  }

  /** Entry of the longest listed proper suffix of "context word" (a 1-gram at worst). */
  private longestListedSuffix(context: number, word: number): number {
    // The chain ends at the empty context, whose child is always listed.
    for (let shorter = this.shorterContext[context] as number; ; ) {
      const entry = this.child(shorter, word);
      if (entry >= 0) return entry;
      shorter = this.shorterContext[shorter] as number;
    }
  }

  private child(context: number, word: number): number {
    return context === EMPTY_CONTEXT ? word + 1 : this.children.find(context, word);
  }
}
