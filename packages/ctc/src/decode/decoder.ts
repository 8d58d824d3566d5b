import type { LabelData } from "@emgkit/emg-io";
import { type EmissionMatrix, frameIndices } from "./emissions.js";

/** A stateful CTC decoder with emg2qwerty's online API. */
export interface CTCDecoder {
  /** Number of classes C, blank included. */
  readonly numClasses: number;
  /** Forgets everything decoded so far. */
  reset(): void;
  /**
   * Decodes the next chunk of (T, C) emissions, one timestamp per frame, and
   * returns the whole decoding so far with onset timestamps.
   */
  decode(emissions: EmissionMatrix, timestamps: ArrayLike<number>, finish?: boolean): LabelData;
  /** Each item of time-first (T, N, C) emissions decoded alone; see `decodeEachItem`. */
  decodeBatch(emissions: EmissionMatrix, lengths: ArrayLike<number>): LabelData[];
}

/**
 * Runs `decodeItem` on each item of time-first (T, N, C) emissions, unpadded to
 * frames 0..lengths[n]-1 and copied to (lengths[n], C), with timestamps 0, 1,
 * ... as emg2qwerty's `decode_batch` gives them. Shape of `lengths`: (N,).
 */
export function decodeEachItem<Result>(
  emissions: EmissionMatrix,
  lengths: ArrayLike<number>,
  numClasses: number,
  decodeItem: (item: EmissionMatrix, timestamps: Float64Array) => Result,
): Result[] {
  const C = numClasses;
  const N = lengths.length;
  const T = N === 0 ? 0 : emissions.length / (N * C);
  if (!Number.isInteger(T)) {
    throw new RangeError(`emissions of length ${emissions.length} are not (T, ${N}, ${C})`);
  }
  const results: Result[] = [];
  for (let n = 0; n < N; n++) {
    const length = lengths[n] as number;
    if (!(Number.isInteger(length) && length >= 0 && length <= T)) {
      throw new RangeError(`length ${length} of item ${n} is outside 0..${T}`);
    }
    const item =
      emissions instanceof Float64Array
        ? new Float64Array(length * C)
        : new Float32Array(length * C);
    for (let t = 0; t < length; t++) {
      item.set(emissions.subarray((t * N + n) * C, (t * N + n + 1) * C), t * C);
    }
    results.push(decodeItem(item, frameIndices(length)));
  }
  return results;
}
