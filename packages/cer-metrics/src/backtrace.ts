import { DELETE, type EditScript, INSERT, REPLACE } from "./edit-script.js";

/** Direction of the previous move, which decides python-Levenshtein's tie-breaking. */
export const DIAGONAL = 0;
export const LEFTWARD = -1; // inserting
export const UPWARD = 1; // deleting

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
 * Walks python-Levenshtein's backtrace through a block of stored cost-matrix rows
 * `topRow..(state.row)`, laid out with stride `width` (row `topRow` first), recording ops.
 * It stops on entering row `topRow`, leaving `state` there, so the block above can resume;
 * a block with `topRow === 0` walks to the origin.
 *
 * The preference order is python-Levenshtein 0.12's `editops_from_cost_matrix`:
 * keep going the same way (insert or delete), else a match, else a replace, else start
 * inserting, else start deleting. Turning from inserting straight to deleting is not allowed.
 */
export function walkBlock(
  rows: Int32Array,
  width: number,
  topRow: number,
  alignment: Alignment,
  state: WalkState,
  script: EditScript,
): void {
  const { source, target, offset } = alignment;
  let { row: i, column: j, direction } = state;
  let p = (i - topRow) * width + j;
  while (i > topRow || (i === 0 && j > 0)) {
    const here = rows[p] as number;
    if (direction === LEFTWARD && j > 0 && here === (rows[p - 1] as number) + 1) {
      j--;
      p--;
      script.prepend(INSERT, i + offset, j + offset);
      continue;
    }
    if (direction === UPWARD && i > 0 && here === (rows[p - width] as number) + 1) {
      i--;
      p -= width;
      script.prepend(DELETE, i + offset, j + offset);
      continue;
    }
    if (i > 0 && j > 0) {
      const diagonal = rows[p - width - 1] as number;
      const isMatch = here === diagonal && source[i - 1] === target[j - 1];
      if (isMatch || here === diagonal + 1) {
        i--;
        j--;
        p -= width + 1;
        direction = DIAGONAL;
        if (!isMatch) script.prepend(REPLACE, i + offset, j + offset);
        continue;
      }
    }
    if (direction === DIAGONAL && j > 0 && here === (rows[p - 1] as number) + 1) {
      j--;
      p--;
      direction = LEFTWARD;
      script.prepend(INSERT, i + offset, j + offset);
      continue;
    }
    if (direction === DIAGONAL && i > 0 && here === (rows[p - width] as number) + 1) {
      i--;
      p -= width;
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
