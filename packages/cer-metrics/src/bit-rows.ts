/**
 * Cost-matrix rows stored as bit-vectors of deltas (Myers 1999, Hyyrö 2003): along row `i`,
 * bit `j - 1` of `plus`/`minus` says whether cost(i, j) - cost(i, j - 1) is +1 or -1 (0 when
 * neither). 32 columns per Int32 word, so a row of `m` cells takes `2 * ceil(m / 32)` words
 * and is advanced by one source character in `ceil(m / 32)` word steps.
 */

/** Number of Int32 words holding `columns` delta bits. */
export function wordCount(columns: number): number {
  return (columns + 31) >>> 5;
}

/** Bit `column - 1` of the row starting at `rowStart` (column >= 1). */
export function bitAt(bits: Int32Array, rowStart: number, column: number): number {
  const index = column - 1;
  return ((bits[rowStart + (index >>> 5)] as number) >>> (index & 31)) & 1;
}

/** Where one row's delta words live: two arrays and the offset of the row within them. */
export interface RowSlot {
  plus: Int32Array;
  minus: Int32Array;
  start: number;
}

/**
 * Computes row `i` into `to` from row `i - 1` in `from` (the two may be the same slot),
 * for the first `words` words, given `matches`, the target mask of source character `i`.
 * When `down` is given, it also receives the vertical deltas cost(i, j) - cost(i - 1, j)
 * in the same bit layout, which the backtrace needs to decide on deletions.
 */
export function advanceRow(
  from: RowSlot,
  to: RowSlot,
  matches: Int32Array,
  words: number,
  down?: RowSlot,
): void {
  // Names follow Hyyrö's formulation (Xv, Xh, Ph, Mh), seen from our orientation: his
  // "vertical" deltas run along a row here, his "horizontal" ones between rows.
  // Column 0 costs i, one more than the row above: the carry into the first word is +1.
  let carry = 1;
  for (let w = 0; w < words; w++) {
    const rowPlus = from.plus[from.start + w] as number;
    const rowMinus = from.minus[from.start + w] as number;
    let equal = matches[w] as number;
    const xv = equal | rowMinus;
    if (carry < 0) equal |= 1;
    const xh = ((((equal & rowPlus) + rowPlus) | 0) ^ rowPlus) | equal;
    let downPlus = rowMinus | ~(xh | rowPlus);
    let downMinus = rowPlus & xh;
    if (down !== undefined) {
      down.plus[down.start + w] = downPlus;
      down.minus[down.start + w] = downMinus;
    }
    const carryOut = downPlus < 0 ? 1 : downMinus < 0 ? -1 : 0;
    downPlus = (downPlus << 1) | (carry > 0 ? 1 : 0);
    downMinus = (downMinus << 1) | (carry < 0 ? 1 : 0);
    to.plus[to.start + w] = downMinus | ~(xv | downPlus);
    to.minus[to.start + w] = downPlus & xv;
    carry = carryOut;
  }
}
