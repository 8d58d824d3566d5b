/**
 * Fills `current`, row `rowIndex` of the Levenshtein cost matrix, from `previous` (row
 * `rowIndex - 1`), for columns `0..columns-1` only: a cell depends on cells to its left and
 * above, never to its right, so a narrower prefix of a row is still exact.
 * The min is taken in python-Levenshtein's order; any order gives the same values.
 */
export function fillCostRow(
  previous: Int32Array,
  current: Int32Array,
  rowIndex: number,
  sourceChar: number,
  target: Int32Array,
  columns: number,
): void {
  let cost = rowIndex;
  current[0] = cost;
  let diagonal = rowIndex - 1;
  for (let j = 1; j < columns; j++) {
    const up = previous[j] as number;
    const viaDiagonal = diagonal + (sourceChar === target[j - 1] ? 0 : 1);
    cost += 1;
    if (viaDiagonal < cost) cost = viaDiagonal;
    if (up + 1 < cost) cost = up + 1;
    current[j] = cost;
    diagonal = up;
  }
}

/** Row 0 of the cost matrix: reaching target prefix j from nothing costs j inserts. */
export function firstCostRow(width: number): Int32Array {
  const row = new Int32Array(width);
  for (let j = 0; j < width; j++) row[j] = j;
  return row;
}
