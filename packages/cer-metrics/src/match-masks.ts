/** How many characters get a precomputed mask; the rest are built per row (linear memory). */
const CACHED_CHARACTERS = 64;

/**
 * For a source character, the bitmask of target columns holding the same code point
 * (bit `j - 1` for column `j`, 32 columns per Int32 word): Myers' "Peq" table.
 *
 * Masks for the most frequent target characters are precomputed; a rarer character's mask is
 * rebuilt from its positions on demand. This keeps memory at `64 * words + target length`
 * even for targets with thousands of distinct characters.
 */
export class TargetMatchMasks {
  private readonly cached = new Map<number, Int32Array>();
  private readonly rarePositions = new Map<number, number[]>();
  private readonly scratch: Int32Array;
  private readonly empty: Int32Array;

  constructor(target: Int32Array, words: number) {
    const positions = new Map<number, number[]>();
    target.forEach((codePoint, index) => {
      const list = positions.get(codePoint);
      if (list === undefined) positions.set(codePoint, [index]);
      else list.push(index);
    });
    const byFrequency = [...positions].sort((a, b) => b[1].length - a[1].length);
    for (const [rank, [codePoint, list]] of byFrequency.entries()) {
      if (rank < CACHED_CHARACTERS) this.cached.set(codePoint, maskOf(list, new Int32Array(words)));
      else this.rarePositions.set(codePoint, list);
    }
    this.scratch = new Int32Array(words);
    this.empty = new Int32Array(words);
  }

  /** The mask for `codePoint`; valid until the next call. */
  maskFor(codePoint: number): Int32Array {
    const cached = this.cached.get(codePoint);
    if (cached !== undefined) return cached;
    const positions = this.rarePositions.get(codePoint);
    if (positions === undefined) return this.empty;
    this.scratch.fill(0);
    return maskOf(positions, this.scratch);
  }
}

function maskOf(positions: number[], mask: Int32Array): Int32Array {
  for (const position of positions) {
    mask[position >>> 5] = (mask[position >>> 5] as number) | (1 << (position & 31));
  }
  return mask;
}
