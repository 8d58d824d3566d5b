/**
 * Normalizing and validating the integer inputs of the CTC loss: targets (padded or concatenated),
 * input lengths and target lengths, given as tensors or plain arrays.
 */
import type { Tensor } from "@tensorflow/tfjs-core";

/** Integer values as a tensor or a plain array. */
export type IntegerInput = Tensor | ArrayLike<number>;

/**
 * Targets: padded `(N, S)` (a 2-D tensor, or one array per sequence, of any length >= its target
 * length) or concatenated 1-D (sum of target lengths).
 */
export type CtcTargets = Tensor | ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/** Every sequence's labels, concatenated, plus where each one starts. */
export interface BatchTargets {
  /** Labels of all sequences, back to back, (sum of target lengths). */
  labels: Int32Array;
  /** Start of sequence n's labels in `labels`, (N,). */
  offsets: Int32Array;
  /** Target lengths, (N,). */
  lengths: Int32Array;
}

/** Integers read from a tensor or arrays: flat, or rows that may differ in length. */
interface IntegerRows {
  values: ArrayLike<number>;
  /** Where each row starts in `values` and how long it is; undefined for 1-D input. */
  rows?: { starts: Int32Array; lengths: Int32Array };
}

function isTensor(value: unknown): value is Tensor {
  return typeof value === "object" && value !== null && "dataSync" in value && "shape" in value;
}

function readIntegers(input: CtcTargets, name: string): IntegerRows {
  if (isTensor(input)) {
    if (input.rank === 1) return { values: input.dataSync() as ArrayLike<number> };
    if (input.rank !== 2) {
      throw new RangeError(`${name} must be 1-D or 2-D, got shape [${input.shape.join(", ")}]`);
    }
    const [count, width] = input.shape as [number, number];
    const starts = Int32Array.from({ length: count }, (_, row) => row * width);
    const lengths = new Int32Array(count).fill(width);
    return { values: input.dataSync() as ArrayLike<number>, rows: { starts, lengths } };
  }
  const first = input[0];
  if (typeof first !== "object" || first === null) return { values: input as ArrayLike<number> };
  const nested = input as ArrayLike<ArrayLike<number>>;
  const starts = new Int32Array(nested.length);
  const lengths = new Int32Array(nested.length);
  let total = 0;
  for (let row = 0; row < nested.length; row++) {
    starts[row] = total;
    lengths[row] = (nested[row] as ArrayLike<number>).length;
    total += lengths[row] as number;
  }
  const values = new Float64Array(total);
  for (let row = 0; row < nested.length; row++) {
    values.set(nested[row] as ArrayLike<number>, starts[row]);
  }
  return { values, rows: { starts, lengths } };
}

/** Reads `(N,)` lengths, each an integer in [0, max]. */
export function readLengths(input: IntegerInput, name: string, batchSize: number, max: number) {
  const { values, rows } = readIntegers(input, name);
  if (rows || values.length !== batchSize) {
    const shape = rows ? `${rows.starts.length} rows` : `[${values.length}]`;
    throw new RangeError(`${name} must have shape [${batchSize}], got ${shape}`);
  }
  const lengths = new Int32Array(batchSize);
  for (let n = 0; n < batchSize; n++) {
    const length = values[n] as number;
    if (!Number.isInteger(length) || length < 0 || length > max) {
      throw new RangeError(`${name}[${n}] = ${length} is outside [0, ${max}]`);
    }
    lengths[n] = length;
  }
  return lengths;
}

/**
 * Reads padded or concatenated targets into one concatenated label array, checking that
 * each used label is an integer class in [0, numClasses) other than the blank.
 */
export function readTargets(
  targets: CtcTargets,
  targetLengthsInput: IntegerInput,
  batchSize: number,
  numClasses: number,
  blank: number,
): BatchTargets {
  const { values, rows } = readIntegers(targets, "targets");
  if (rows && rows.starts.length !== batchSize) {
    throw new RangeError(`padded targets must have ${batchSize} rows, got ${rows.starts.length}`);
  }
  let widest = 0;
  for (const length of rows?.lengths ?? []) widest = Math.max(widest, length);
  const lengths = readLengths(
    targetLengthsInput,
    "targetLengths",
    batchSize,
    rows ? widest : values.length,
  );
  let total = 0;
  for (let n = 0; n < batchSize; n++) {
    const length = lengths[n] as number;
    const available = rows?.lengths[n];
    if (available !== undefined && length > available) {
      throw new RangeError(
        `targetLengths[${n}] = ${length} exceeds its target row of ${available}`,
      );
    }
    total += length;
  }
  if (!rows && total !== values.length) {
    throw new RangeError(
      `concatenated targets have ${values.length} labels but targetLengths sum to ${total}`,
    );
  }
  const labels = new Int32Array(total);
  const offsets = new Int32Array(batchSize);
  let next = 0;
  for (let n = 0; n < batchSize; n++) {
    offsets[n] = next;
    const source = rows ? (rows.starts[n] as number) : next;
    for (let i = 0; i < (lengths[n] as number); i++) {
      const label = values[source + i] as number;
      if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
        throw new RangeError(
          `target label ${label} (sequence ${n}, position ${i}) is outside [0, ${numClasses})`,
        );
      }
      if (label === blank) {
        throw new RangeError(
          `target of sequence ${n} contains the blank label ${blank} at position ${i}`,
        );
      }
      labels[next++] = label;
    }
  }
  return { labels, offsets, lengths };
}
