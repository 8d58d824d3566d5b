import { bitAt } from "./bit-rows.js";
import { DELETE, type EditScript, INSERT, REPLACE } from "./edit-script.js";

/** Direction of the previous move, which decides python-Levenshtein's tie-breaking. */
export const DIAGONAL = 0;
/** The previous move was an insert (leftwards in the cost matrix). */
export const LEFTWARD = -1;
/** The previous move was a delete (upwards in the cost matrix). */
export const UPWARD = 1;

/** Where the backtrace stands: cell (row, column) and the direction it arrived from. */
export interface WalkState {
  row: number;
  column: number;
  direction: number;
}

/** The stripped strings being compared and where they start in the original strings. */
export interface Alignment {
  source: Int32Array;
  target: Int32Array;
  offset: number;
}

/**
 * Consecutive cost-matrix rows `topRow..` as delta bits, `words` Int32s per row:
 * `rowPlus`/`rowMinus` along each row, `downPlus`/`downMinus` from the row above
 * (unused for `topRow`). See bit-rows.ts for the layout.
 */
export interface BitBlock {
  topRow: number;
  words: number;
  rowPlus: Int32Array;
  rowMinus: Int32Array;
  downPlus: Int32Array;
  downMinus: Int32Array;
}

/**
 * Walks python-Levenshtein's backtrace up through `block`, from `state` (a cell of the
 * block's last row) until it enters row `block.topRow`, leaving `state` there for the block
 * above; a block starting at row 0 walks to the origin. Ops are prepended to `script`.
 *
 * Preference order (python-Levenshtein 0.12's `editops_from_cost_matrix`): keep inserting or
 * keep deleting, else a match, else a replace, else start inserting, else start deleting.
 * Every test compares a cell with a neighbour, so the deltas alone decide each step.
 */
export function walkBlock(
  block: BitBlock,
  alignment: Alignment,
  state: WalkState,
  script: EditScript,
): void {
  const { topRow, words, rowPlus, rowMinus, downPlus, downMinus } = block;
  const { source, target, offset } = alignment;
  let { row: i, column: j, direction } = state;
  while (i > topRow || (i === 0 && j > 0)) {
    const here = (i - topRow) * words;
    // cost(i, j) == cost(i, j - 1) + 1, and cost(i, j) == cost(i - 1, j) + 1
    const insertFits = j > 0 && bitAt(rowPlus, here, j) === 1;
    const deleteFits = i > 0 && (j === 0 || bitAt(downPlus, here, j) === 1);
    if (direction === LEFTWARD && insertFits) {
      j--;
      script.prepend(INSERT, i + offset, j + offset);
      continue;
    }
    if (direction === UPWARD && deleteFits) {
      i--;
      script.prepend(DELETE, i + offset, j + offset);
      continue;
    }
    if (i > 0 && j > 0) {
      const above = here - words;
      // cost(i, j) - cost(i - 1, j - 1), through cell (i - 1, j)
      const rise =
        bitAt(downPlus, here, j) -
        bitAt(downMinus, here, j) +
        bitAt(rowPlus, above, j) -
        bitAt(rowMinus, above, j);
      const isMatch = rise === 0 && source[i - 1] === target[j - 1];
      if (isMatch || rise === 1) {
        i--;
        j--;
        direction = DIAGONAL;
        if (!isMatch) script.prepend(REPLACE, i + offset, j + offset);
        continue;
      }
    }
    if (direction === DIAGONAL && insertFits) {
      j--;
      direction = LEFTWARD;
      script.prepend(INSERT, i + offset, j + offset);
      continue;
    }
    if (direction === DIAGONAL && deleteFits) {
      i--;
      direction = UPWARD;
      script.prepend(DELETE, i + offset, j + offset);
      continue;
    }
    throw new Error(`editops backtrace lost at cell (${i}, ${j}); the cost rows are inconsistent`);
  }
  state.row = i;
  state.column = j;
  state.direction = direction;
}
