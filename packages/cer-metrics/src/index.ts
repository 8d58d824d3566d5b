export type {
  ErrorRates,
  SampleErrors,
  TextLike,
} from "./character-error-rates.js";
export { CharacterErrorRates } from "./character-error-rates.js";
export type { EditOp, EditOpCounts, EditOpType } from "./edit-op.js";
export type { EditOpsOptions } from "./edit-ops.js";
export { editOps, editOpsList } from "./edit-ops.js";
