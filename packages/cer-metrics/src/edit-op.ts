/** Kind of an elementary edit, named as python-Levenshtein names it. */
export type EditOpType = "insert" | "delete" | "replace";

/**
 * One elementary edit turning the prediction (source) into the target (destination),
 * as a tuple of `Levenshtein.editops(prediction, target)`.
 *
 * - `insert`: the target code point at `destPos` is missing from the prediction;
 *   it goes in before prediction position `sourcePos`.
 * - `delete`: the prediction code point at `sourcePos` is extra; `destPos` is where it
 *   would have been in the target.
 * - `replace`: prediction code point `sourcePos` stands where the target has `destPos`.
 *
 * Positions count Unicode code points, not UTF-16 units.
 */
export interface EditOp {
  type: EditOpType;
  sourcePos: number;
  destPos: number;
}

/** Number of each kind of edit, as `Counter(op for op, _, _ in editops)` counts them. */
export interface EditOpCounts {
  insertions: number;
  deletions: number;
  substitutions: number;
}
