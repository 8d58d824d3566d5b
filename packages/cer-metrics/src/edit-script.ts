import type { EditOpType } from "./edit-op.js";

/** Code of an insert in {@link EditScript.types}. */
export const INSERT = 0;
/** Code of a delete in {@link EditScript.types}. */
export const DELETE = 1;
/** Code of a replace in {@link EditScript.types}. */
export const REPLACE = 2;

/** Op kind names indexed by their codes. */
export const OP_TYPE_NAMES: readonly EditOpType[] = ["insert", "delete", "replace"];

/**
 * Edit ops in compact typed arrays. The backtrace discovers ops from the last to the first,
 * so they are written from the end of the buffers towards the start.
 */
export class EditScript {
  readonly types: Uint8Array;
  readonly sourcePositions: Int32Array;
  readonly destPositions: Int32Array;
  private start: number;

  /** `capacity` must bound the edit distance; max(length1, length2) always does. */
  constructor(capacity: number) {
    this.types = new Uint8Array(capacity);
    this.sourcePositions = new Int32Array(capacity);
    this.destPositions = new Int32Array(capacity);
    this.start = capacity;
  }

  /** Records the op that comes before every op recorded so far. */
  prepend(type: number, sourcePos: number, destPos: number): void {
    const at = --this.start;
    this.types[at] = type;
    this.sourcePositions[at] = sourcePos;
    this.destPositions[at] = destPos;
  }

  /** Index of the first recorded op; ops occupy `[first, capacity)` in order. */
  get first(): number {
    return this.start;
  }
}
