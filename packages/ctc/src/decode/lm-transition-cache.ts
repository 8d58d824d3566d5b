import type { LanguageModel } from "../lm/language-model.js";

const TABLE_BITS = 15;
const TABLE_SIZE = 1 << TABLE_BITS;
/** Entries kept before the table starts over (half full keeps probes short). */
const MAX_ENTRIES = TABLE_SIZE >> 1;

/**
 * `lm.baseScore` behind a fixed-size memo. A beam extends the same prefixes by
 * the same few labels frame after frame, so nearly every (state, token)
 * transition it asks for was asked for a frame earlier; the memo answers those
 * with one probe into typed arrays. Sound because a transition depends on
 * nothing but its state and token. When full it simply starts over.
 */
export class LmTransitionCache {
  readonly lm: LanguageModel;
  /** State after the last `score` call. */
  nextState = 0;
  private readonly keyState = new Int32Array(TABLE_SIZE).fill(-1);
  private readonly keyToken = new Int32Array(TABLE_SIZE);
  private readonly cachedScore = new Float64Array(TABLE_SIZE);
  private readonly cachedNext = new Int32Array(TABLE_SIZE);
  private readonly scratch = new Int32Array(1);
  private entries = 0;

  constructor(lm: LanguageModel) {
    this.lm = lm;
  }

  /** log10 p(token | state); the state after it goes to `nextState`. */
  score(state: number, token: number): number {
    const mask = TABLE_SIZE - 1;
    let slot =
      (Math.imul(state, 0x9e3779b1) ^ Math.imul(token + 1, 0x85ebca6b)) >>> (32 - TABLE_BITS);
    for (;;) {
      const held = this.keyState[slot] as number;
      if (held < 0) break;
      if (held === state && this.keyToken[slot] === token) {
        this.nextState = this.cachedNext[slot] as number;
        return this.cachedScore[slot] as number;
      }
      slot = (slot + 1) & mask;
    }
    const score = this.lm.baseScore(state, token, this.scratch);
    this.nextState = this.scratch[0] as number;
    if (this.entries === MAX_ENTRIES) {
      this.keyState.fill(-1);
      this.entries = 0;
      return score; // the slot found belonged to the old table
    }
    this.keyState[slot] = state;
    this.keyToken[slot] = token;
    this.cachedScore[slot] = score;
    this.cachedNext[slot] = this.nextState;
    this.entries++;
    return score;
  }
}
