import { checkpointedBacktrace } from "./checkpointed-backtrace.js";
import { toCodePoints } from "./code-points.js";
import type { EditOp, EditOpCounts, EditOpType } from "./edit-op.js";
import { DELETE, EditScript, INSERT, OP_TYPE_NAMES, REPLACE } from "./edit-script.js";

/** Tuning for {@link editOps} and {@link editOpsList}; results never depend on it. */
export interface EditOpsOptions {
  /**
   * Cost-matrix rows stored at once (default 512; each row takes about target length / 2
   * bytes). A prediction of at most this many code points (after stripping the common prefix
   * and suffix) is solved with the whole matrix stored; longer ones recompute rows from
   * checkpoints, in memory linear in the target length.
   */
  blockRows?: number;
}

const DEFAULT_BLOCK_ROWS = 512;

/**
 * Finds python-Levenshtein's edit script from `prediction` to `target` (code points),
 * stripping the common prefix and suffix first exactly as it does.
 */
function findEditScript(prediction: string, target: string, options: EditOpsOptions) {
  const blockRows = options.blockRows ?? DEFAULT_BLOCK_ROWS;
  if (!(blockRows >= 1)) {
    throw new RangeError(`blockRows must be at least 1, got ${blockRows}`);
  }
  let source = toCodePoints(prediction);
  let destination = toCodePoints(target);
  let prefix = 0;
  while (
    prefix < source.length &&
    prefix < destination.length &&
    source[prefix] === destination[prefix]
  ) {
    prefix++;
  }
  let sourceEnd = source.length;
  let destinationEnd = destination.length;
  while (
    sourceEnd > prefix &&
    destinationEnd > prefix &&
    source[sourceEnd - 1] === destination[destinationEnd - 1]
  ) {
    sourceEnd--;
    destinationEnd--;
  }
  source = source.subarray(prefix, sourceEnd);
  destination = destination.subarray(prefix, destinationEnd);
  const script = new EditScript(Math.max(source.length, destination.length));
  checkpointedBacktrace(
    { source, target: destination, offset: prefix },
    Math.floor(blockRows),
    script,
  );
  return script;
}

/**
 * The edit operations turning `prediction` into `target`, equal element for element to
 * python-Levenshtein 0.12's `Levenshtein.editops(prediction, target)`, including which of
 * several equally short scripts it picks. Strings are compared by Unicode code point.
 */
export function editOpsList(
  prediction: string,
  target: string,
  options: EditOpsOptions = {},
): EditOp[] {
  const script = findEditScript(prediction, target, options);
  const ops: EditOp[] = [];
  for (let at = script.first; at < script.types.length; at++) {
    ops.push({
      type: OP_TYPE_NAMES[script.types[at] as number] as EditOpType,
      sourcePos: script.sourcePositions[at] as number,
      destPos: script.destPositions[at] as number,
    });
  }
  return ops;
}

/**
 * Counts of insertions, deletions and substitutions in python-Levenshtein's edit script
 * from `prediction` to `target`: exactly `Counter(op for op, _, _ in
 * Levenshtein.editops(prediction, target))`, as emg2qwerty's `CharacterErrorRates` counts.
 * An insertion is a target character missing from the prediction; a deletion is an extra
 * prediction character.
 */
export function editOps(
  prediction: string,
  target: string,
  options: EditOpsOptions = {},
): EditOpCounts {
  const script = findEditScript(prediction, target, options);
  const counts: EditOpCounts = { insertions: 0, deletions: 0, substitutions: 0 };
  for (let at = script.first; at < script.types.length; at++) {
    const type = script.types[at];
    if (type === INSERT) counts.insertions++;
    else if (type === DELETE) counts.deletions++;
    else if (type === REPLACE) counts.substitutions++;
  }
  return counts;
}
