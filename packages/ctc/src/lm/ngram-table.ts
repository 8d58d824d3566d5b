import type { NGramHash } from "./ngram-hash.js";

/** The empty context (KenLM's null context) is entry 0. */
export const EMPTY_CONTEXT = 0;

/**
 * A back-off n-gram model as an n-gram trie in typed arrays.
 *
 * Every listed n-gram is an entry, numbered by order: 0 is the empty context,
 * 1 + w the 1-gram of word w, then all 2-grams, then all 3-grams, and so on.
 * Entries below `contextCount` (orders below the highest) can be contexts;
 * the highest order needs neither a backoff nor a shorter-context link.
 *
 * Memory per n-gram: 8 bytes (probability, state after it), 8 more for a
 * context (backoff, shorter context), plus the child hash (16-32 bytes).
 * Values are float32, as KenLM keeps them.
 */
export class NGramTable {
  constructor(
    /** Highest order. */
    readonly order: number,
    /** log10 p(last word | other words) of each entry. */
    readonly probability: Float32Array,
    /** log10 backoff weight of each context entry (0 when the ARPA gives none). */
    readonly backoff: Float32Array,
    /** Each context's longest listed proper suffix (its oldest word dropped, and more if unlisted). */
    readonly shorterContext: Int32Array,
    /**
     * Each entry's KenLM state: the longest suffix of the n-gram, at most
     * order - 1 words, that is listed and can still matter to a later word (a
     * non-zero backoff, or the context of a listed longer n-gram); the empty
     * context when none is.
     */
    readonly stateAfter: Int32Array,
    private readonly children: NGramHash,
  ) {}

  /** Number of entries that can be contexts (states), the empty context included. */
  get contextCount(): number {
    return this.backoff.length;
  }

  /** Entry of the n-gram "context word", or -1 when it is not listed. O(1) expected. */
  child(context: number, word: number): number {
    return context === EMPTY_CONTEXT ? word + 1 : this.children.find(context, word);
  }
}
