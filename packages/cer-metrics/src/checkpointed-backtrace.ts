import { type Alignment, DIAGONAL, type WalkState, walkBlock } from "./backtrace.js";
import { fillCostRow, firstCostRow } from "./cost-rows.js";
import type { EditScript } from "./edit-script.js";

/**
 * Runs the full-matrix backtrace of {@link walkBlock} over the whole cost matrix while
 * storing at most `blockRows + 1` rows at once, plus one checkpoint row per halving.
 *
 * The backtrace only ever moves up or left, so a range of rows `lo..hi` can be walked once
 * the walk's entry state at row `hi` is known. Rows are recomputed forward from a stored
 * row: the lower half is walked first (its entry is the previous exit), then the upper half
 * resumes from where the lower half left row `mid`. Columns right of the entry column are
 * never visited again, so each recomputation stops at that column.
 *
 * Memory: `(blockRows + 1 + 2 + ceil(log2(rows / blockRows))) * (target length + 1)` Int32
 * cells. Time: about `1 + log2(rows / blockRows) / 2` times one full-matrix fill, less
 * thanks to the column cut.
 */
export function checkpointedBacktrace(
  alignment: Alignment,
  blockRows: number,
  script: EditScript,
): void {
  const { source, target } = alignment;
  const width = target.length + 1;
  const rowCount = source.length;
  const leafRows = Math.min(blockRows, rowCount);
  const leaf = new Int32Array((leafRows + 1) * width);
  const scratch = [new Int32Array(width), new Int32Array(width)] as const;
  const checkpoints: Int32Array[] = [];
  const state: WalkState = { row: rowCount, column: target.length, direction: DIAGONAL };

  /** Computes row `toRow` (first `columns` cells) into `out` from row `fromRow`. */
  const advance = (
    from: Int32Array,
    fromRow: number,
    toRow: number,
    columns: number,
    out: Int32Array,
  ) => {
    let previous = from;
    for (let row = fromRow + 1; row <= toRow; row++) {
      const current = row === toRow ? out : (scratch[row & 1] as Int32Array);
      fillCostRow(previous, current, row, source[row - 1] as number, target, columns);
      previous = current;
    }
  };

  const walkRows = (topRow: number, top: Int32Array, bottomRow: number, depth: number) => {
    const columns = state.column + 1;
    if (bottomRow - topRow <= blockRows) {
      leaf.set(top.subarray(0, columns));
      for (let row = topRow + 1; row <= bottomRow; row++) {
        const at = (row - topRow) * width;
        const previous = leaf.subarray(at - width, at);
        const current = leaf.subarray(at, at + width);
        fillCostRow(previous, current, row, source[row - 1] as number, target, columns);
      }
      walkBlock(leaf, width, topRow, alignment, state, script);
      return;
    }
    const midRow = topRow + ((bottomRow - topRow) >> 1);
    let checkpoint = checkpoints[depth];
    if (checkpoint === undefined) {
      checkpoint = new Int32Array(width);
      checkpoints[depth] = checkpoint;
    }
    advance(top, topRow, midRow, columns, checkpoint);
    walkRows(midRow, checkpoint, bottomRow, depth + 1);
    walkRows(topRow, top, midRow, depth + 1);
  };

  walkRows(0, firstCostRow(width), rowCount, 0);
}
