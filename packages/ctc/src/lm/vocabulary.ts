/** The token KenLM scores words outside the vocabulary as; always index 0. */
export const UNKNOWN_TOKEN = "<unk>";
export const BEGIN_SENTENCE_TOKEN = "<s>";
export const END_SENTENCE_TOKEN = "</s>";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Word <-> index map of an n-gram model, as KenLM numbers it: `<unk>` (or
 * `<UNK>`, which some toolkits write) is 0, other words count up from 1 in the
 * order the 1-grams list them.
 *
 * Words are looked up two ways: by UTF-8 byte range while an ARPA file is read
 * (an open-addressing table over the bytes, so no string is made per n-gram),
 * and by string for callers. Lookups are O(word length).
 */
export class Vocabulary {
  /** Tokens by index; `tokens[0]` is `<unk>`. */
  readonly tokens: string[] = [UNKNOWN_TOKEN];
  private readonly indexByToken = new Map<string, number>();
  /** Word bytes back to back; word i (i >= 1) spans byteStarts[i]..byteStarts[i + 1]. */
  private bytePool = new Uint8Array(1024);
  private byteStarts: number[] = [0, 0];
  /** Open-addressing table of word indices keyed by a hash of their bytes; 0 marks a free slot. */
  private slots: Int32Array;

  constructor(expectedSize: number) {
    this.slots = new Int32Array(tableCapacity(expectedSize));
  }

  get size(): number {
    return this.tokens.length;
  }

  /** Index of `token`, 0 when it is not in the vocabulary (KenLM's `Vocabulary::Index`). */
  index(token: string): number {
    return this.indexByToken.get(token) ?? 0;
  }

  /** Index of the word in bytes[start, end), 0 for `<unk>`/`<UNK>`, -1 when unknown. */
  indexOfBytes(bytes: Uint8Array, start: number, end: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hashBytes(bytes, start, end) & mask; ; slot = (slot + 1) & mask) {
      const index = this.slots[slot] as number;
      if (index === 0) return isUnknownSpelling(bytes, start, end) ? 0 : -1;
      if (this.sameBytes(index, bytes, start, end)) return index;
    }
  }

  /**
   * Adds the word in bytes[start, end) and returns its index (0 for
   * `<unk>`/`<UNK>`), or -1 when it is already there.
   */
  add(bytes: Uint8Array, start: number, end: number): number {
    if (isUnknownSpelling(bytes, start, end)) return 0;
    if (this.indexOfBytes(bytes, start, end) > 0) return -1;
    const index = this.tokens.length;
    this.tokens.push(utf8.decode(bytes.subarray(start, end)));
    this.indexByToken.set(this.tokens[index] as string, index);
    this.appendBytes(bytes, start, end);
    if (2 * (index + 1) > this.slots.length) this.rehash();
    else this.place(index);
    return index;
  }

  private sameBytes(index: number, bytes: Uint8Array, start: number, end: number): boolean {
    const from = this.byteStarts[index] as number;
    if ((this.byteStarts[index + 1] as number) - from !== end - start) return false;
    for (let i = start; i < end; i++)
      if (this.bytePool[from + i - start] !== bytes[i]) return false;
    return true;
  }

  private appendBytes(bytes: Uint8Array, start: number, end: number): void {
    const from = this.byteStarts[this.byteStarts.length - 1] as number;
    const to = from + end - start;
    if (to > this.bytePool.length) {
      const grown = new Uint8Array(Math.max(to, 2 * this.bytePool.length));
      grown.set(this.bytePool);
      this.bytePool = grown;
    }
    this.bytePool.set(bytes.subarray(start, end), from);
    this.byteStarts.push(to);
  }

  private place(index: number): void {
    const mask = this.slots.length - 1;
    const from = this.byteStarts[index] as number;
    const to = this.byteStarts[index + 1] as number;
    let slot = hashBytes(this.bytePool, from, to) & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = index;
  }

  private rehash(): void {
    this.slots = new Int32Array(tableCapacity(2 * this.tokens.length));
    for (let index = 1; index < this.tokens.length; index++) this.place(index);
  }
}

/** A power of two at least twice `entries`, so probes stay short. */
function tableCapacity(entries: number): number {
  let capacity = 16;
  while (capacity < 2 * entries) capacity *= 2;
  return capacity;
}

/** FNV-1a over the bytes. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
  return hash >>> 0;
}

/** `<unk>` or `<UNK>`, the two spellings KenLM maps to index 0. */
function isUnknownSpelling(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start !== 5 || bytes[start] !== 0x3c || bytes[start + 4] !== 0x3e) return false;
  const u = bytes[start + 1];
  const n = bytes[start + 2];
  const k = bytes[start + 3];
  return (u === 0x75 && n === 0x6e && k === 0x6b) || (u === 0x55 && n === 0x4e && k === 0x4b);
}
