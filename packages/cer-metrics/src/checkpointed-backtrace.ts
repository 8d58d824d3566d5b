import { type Alignment, type BitBlock, DIAGONAL, type WalkState, walkBlock } from "./backtrace.js";
import { advanceRow, type RowSlot, wordCount } from "./bit-rows.js";
import type { EditScript } from "./edit-script.js";
import { TargetMatchMasks } from "./match-masks.js";

/**
 * Runs python-Levenshtein's backtrace over the whole cost matrix while storing at most
 * `blockRows + 1` rows at once plus one checkpoint row per halving of the rows.
 *
 * The backtrace only moves up or left, so rows `top..bottom` can be walked as soon as the
 * walk's state on entering row `bottom` is known. A range too tall to store is split at its
 * middle row, which is recomputed forward from the range's top row and kept as a checkpoint;
 * the lower half is walked first, then the upper half resumes where the walk entered the
 * middle row. Columns right of the walk's current column are never visited again, so each
 * recomputation stops there.
 *
 * With `w = ceil(target length / 32)` Int32 words per delta vector, memory is
 * `4w (blockRows + 1) + 2w (ceil(log2(rows / blockRows)) + 1) + 64w` words plus the inputs:
 * linear in the target length for a fixed block size. Rows are recomputed about
 * `1 + log2(rows / blockRows) / 2` times each, fewer with the column cut.
 */
export function checkpointedBacktrace(
  alignment: Alignment,
  blockRows: number,
  script: EditScript,
): void {
  const { source, target } = alignment;
  const rowCount = source.length;
  const words = wordCount(target.length);
  const masks = new TargetMatchMasks(target, words);
  const leafCells = (Math.min(blockRows, rowCount) + 1) * words;
  const leaf: BitBlock = {
    topRow: 0,
    words,
    rowPlus: new Int32Array(leafCells),
    rowMinus: new Int32Array(leafCells),
    downPlus: new Int32Array(leafCells),
    downMinus: new Int32Array(leafCells),
  };
  const checkpoints: RowSlot[] = [];
  const state: WalkState = { row: rowCount, column: target.length, direction: DIAGONAL };

  /** Copies the first `used` words of row `from` into `to`. */
  const copyRow = (from: RowSlot, to: RowSlot, used: number) => {
    to.plus.set(from.plus.subarray(from.start, from.start + used), to.start);
    to.minus.set(from.minus.subarray(from.start, from.start + used), to.start);
  };

  const walkRows = (topRow: number, top: RowSlot, bottomRow: number, depth: number) => {
    const used = wordCount(state.column);
    if (bottomRow - topRow <= blockRows) {
      leaf.topRow = topRow;
      copyRow(top, { plus: leaf.rowPlus, minus: leaf.rowMinus, start: 0 }, used);
      for (let row = topRow + 1; row <= bottomRow; row++) {
        const start = (row - topRow) * words;
        advanceRow(
          { plus: leaf.rowPlus, minus: leaf.rowMinus, start: start - words },
          { plus: leaf.rowPlus, minus: leaf.rowMinus, start },
          masks.maskFor(source[row - 1] as number),
          used,
          { plus: leaf.downPlus, minus: leaf.downMinus, start },
        );
      }
      walkBlock(leaf, alignment, state, script);
      return;
    }
    const midRow = topRow + ((bottomRow - topRow) >> 1);
    let middle = checkpoints[depth];
    if (middle === undefined) {
      middle = { plus: new Int32Array(words), minus: new Int32Array(words), start: 0 };
      checkpoints[depth] = middle;
    }
    copyRow(top, middle, used);
    for (let row = topRow + 1; row <= midRow; row++) {
      advanceRow(middle, middle, masks.maskFor(source[row - 1] as number), used);
    }
    walkRows(midRow, middle, bottomRow, depth + 1);
    walkRows(topRow, top, midRow, depth + 1);
  };

  // Row 0 costs j at column j: every delta along it is +1.
  const firstRow = { plus: new Int32Array(words).fill(-1), minus: new Int32Array(words), start: 0 };
  walkRows(0, firstRow, rowCount, 0);
}
