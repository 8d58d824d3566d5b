/** Context id of unigrams: they extend the empty context. */
export const EMPTY_CONTEXT = -1;

const INITIAL_CAPACITY = 1024;

/**
 * The n-grams of one order, each keyed by (id of its context, id of its last
 * word) and numbered densely 0, 1, 2, ... in order of first insertion. The
 * context id is the n-gram's first n-1 words as numbered in the table of order
 * n-1 ({@link EMPTY_CONTEXT} for unigrams), so an n-gram costs two integers
 * whatever its order, and no string is built per n-gram.
 *
 * Open addressing with linear probing over a power-of-two slot array kept at
 * most half full.
 */
export class NGramTable {
  /** Number of n-grams. */
  size = 0;
  /** Per n-gram id: id of its first n-1 words in the table of order n-1. */
  contextIds = new Int32Array(INITIAL_CAPACITY);
  /** Per n-gram id: id of its last word. */
  wordIds = new Int32Array(INITIAL_CAPACITY);
  /** Per n-gram id: occurrences, as the caller counts them (0 when inserted). */
  counts = new Uint32Array(INITIAL_CAPACITY);
  /** n-gram id + 1 per slot; 0 marks an empty slot. */
  private slots = new Int32Array(INITIAL_CAPACITY * 2);

  /** Id of the n-gram (context, word), or -1 when absent. */
  find(contextId: number, wordId: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hashPair(contextId, wordId) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] ?? 0;
      if (entry === 0) return -1;
      const id = entry - 1;
      if (this.contextIds[id] === contextId && this.wordIds[id] === wordId) return id;
    }
  }

  /** Id of the n-gram (context, word), inserting it with count 0 when absent. */
  findOrInsert(contextId: number, wordId: number): number {
    const mask = this.slots.length - 1;
    let slot = hashPair(contextId, wordId) & mask;
    for (; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] ?? 0;
      if (entry === 0) break;
      const id = entry - 1;
      if (this.contextIds[id] === contextId && this.wordIds[id] === wordId) return id;
    }
    const id = this.size++;
    if (id === this.contextIds.length) this.growEntries();
    this.contextIds[id] = contextId;
    this.wordIds[id] = wordId;
    this.counts[id] = 0;
    this.slots[slot] = id + 1;
    if (this.size * 2 > this.slots.length) this.rehash();
    return id;
  }

  /** Drops the spare capacity once no more n-grams will be added. */
  trim(): void {
    this.contextIds = this.contextIds.slice(0, this.size);
    this.wordIds = this.wordIds.slice(0, this.size);
    this.counts = this.counts.slice(0, this.size);
  }

  private growEntries(): void {
    const capacity = this.contextIds.length * 2;
    this.contextIds = grown(this.contextIds, new Int32Array(capacity));
    this.wordIds = grown(this.wordIds, new Int32Array(capacity));
    this.counts = grown(this.counts, new Uint32Array(capacity));
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let id = 0; id < this.size; id++) {
      let slot = hashPair(this.contextIds[id] ?? 0, this.wordIds[id] ?? 0) & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = id + 1;
    }
  }
}

function grown<T extends Int32Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** 32-bit mix of two integers (murmur3 finaliser), so linear probing sees spread-out slots. */
function hashPair(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
