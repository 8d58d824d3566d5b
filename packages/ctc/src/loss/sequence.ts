/** One batch element of the CTC loss, with its extended label sequence built once. */

export interface CtcSequence {
  /** The whole batch's log-probabilities, (T, N, C) row-major. */
  logProbs: Float32Array;
  batchSize: number;
  numClasses: number;
  /** This sequence's index n in the batch. */
  batchIndex: number;
  /** Frames used, T_n <= T. */
  inputLength: number;
  /** l' = (blank, l_1, blank, l_2, ..., l_S, blank), (2S + 1,). */
  extendedLabels: Int32Array;
  /** 1 where state s may also be entered from s - 2 (a label unlike the one two states back). */
  canSkip: Uint8Array;
  /** The distinct labels of l', blank included: the only classes whose gradient has a path term. */
  distinctLabels: Int32Array;
}

/** Builds the extended sequence of `labels`, (S,), a view of this sequence's targets. */
export function buildSequence(
  logProbs: Float32Array,
  shape: readonly [number, number, number],
  batchIndex: number,
  inputLength: number,
  labels: Int32Array,
  blank: number,
): CtcSequence {
  const extendedLabels = new Int32Array(2 * labels.length + 1).fill(blank);
  const canSkip = new Uint8Array(extendedLabels.length);
  const distinct = new Set<number>([blank]);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    extendedLabels[2 * i + 1] = label;
    canSkip[2 * i + 1] = i > 0 && labels[i - 1] !== label ? 1 : 0;
    distinct.add(label);
  }
  return {
    logProbs,
    batchSize: shape[1],
    numClasses: shape[2],
    batchIndex,
    inputLength,
    extendedLabels,
    canSkip,
    distinctLabels: Int32Array.from(distinct),
  };
}

/** Fewest frames that can emit `labels`: one per label plus a blank between equal neighbours. */
export function minimumInputLength(labels: Int32Array): number {
  let frames = labels.length;
  for (let i = 1; i < labels.length; i++) if (labels[i] === labels[i - 1]) frames++;
  return frames;
}
