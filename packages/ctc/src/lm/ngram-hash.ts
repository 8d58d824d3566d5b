/** Words per slot: context entry, word index, entry of the n-gram (context, word). */
const SLOT_WIDTH = 3;
const FREE = -1;

/**
 * Open-addressing (linear probing) hash from (context entry, word index) to
 * the entry of the n-gram "context word": the child edges of an n-gram trie
 * without an object per n-gram.
 *
 * Memory: 12 bytes a slot, at most 0.75 full, so 16 to 32 bytes an n-gram;
 * key and value sit in one slot, so a lookup usually touches one cache line.
 * find/insert: O(1) expected.
 */
export class NGramHash {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(maxEntries: number) {
    let capacity = 16;
    while (3 * capacity < 4 * maxEntries) capacity *= 2;
    this.mask = capacity - 1;
    this.slots = new Int32Array(SLOT_WIDTH * capacity).fill(FREE);
  }

  /** Entry of the n-gram (context, word), or -1 when it is not listed. */
  find(context: number, word: number): number {
    const slots = this.slots;
    for (let slot = slotOf(context, word, this.mask); ; slot = (slot + 1) & this.mask) {
      const at = SLOT_WIDTH * slot;
      const slotContext = slots[at] as number;
      if (slotContext === FREE) return -1;
      if (slotContext === context && slots[at + 1] === word) return slots[at + 2] as number;
    }
  }

  /** Stores (context, word) -> entry; returns false (and stores nothing) when the key is there. */
  insert(context: number, word: number, entry: number): boolean {
    const slots = this.slots;
    for (let slot = slotOf(context, word, this.mask); ; slot = (slot + 1) & this.mask) {
      const at = SLOT_WIDTH * slot;
      const slotContext = slots[at] as number;
      if (slotContext === FREE) {
        slots[at] = context;
        slots[at + 1] = word;
        slots[at + 2] = entry;
        return true;
      }
      if (slotContext === context && slots[at + 1] === word) return false;
    }
  }
}

/** Multiplicative mix of both keys, finished like MurmurHash3's fmix32 so low bits are spread. */
function slotOf(context: number, word: number, mask: number): number {
  let hash = Math.imul(context, 0x9e3779b1) ^ Math.imul(word + 0x7f4a7c15, 0x85ebca6b);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash & mask;
}
