/**
 * CTC forward-backward for one sequence in log space, float64: the fallback for sequences whose
 * probabilities span more than float64's range (see scaled-forward-backward.ts). Several times
 * slower, and it keeps all T_n x L log-alphas.
 */
import type { CtcSequence } from "./sequence.js";

function logAdd(a: number, b: number): number {
  const max = Math.max(a, b);
  if (max === Number.NEGATIVE_INFINITY) return max;
  return max + Math.log(Math.exp(a - max) + Math.exp(b - max));
}

function logAdd3(a: number, b: number, c: number): number {
  const max = Math.max(a, b, c);
  if (max === Number.NEGATIVE_INFINITY) return max;
  return max + Math.log(Math.exp(a - max) + Math.exp(b - max) + Math.exp(c - max));
}

/**
 * Negative log-likelihood of one sequence (Infinity when no path has probability); writes
 * exp(lp) - occupancy into `gradient`, (T, N, C), at t < T_n, like `scaledForwardBackward`.
 */
export function logSpaceForwardBackward(sequence: CtcSequence, gradient: Float32Array): number {
  const { logProbs, numClasses, inputLength: frames, extendedLabels, canSkip } = sequence;
  const states = extendedLabels.length;
  const frameStride = sequence.batchSize * numClasses;
  const firstOffset = sequence.batchIndex * numClasses;
  const logProb = (t: number, s: number) =>
    logProbs[t * frameStride + firstOffset + (extendedLabels[s] as number)] as number;
  const none = Number.NEGATIVE_INFINITY;

  const logAlpha = new Float64Array(frames * states).fill(none);
  logAlpha[0] = logProb(0, 0);
  if (states > 1) logAlpha[1] = logProb(0, 1);
  for (let t = 1; t < frames; t++) {
    const row = t * states;
    const previous = row - states;
    for (let s = 0; s < states; s++) {
      const stay = logAlpha[previous + s] as number;
      const advance = s > 0 ? (logAlpha[previous + s - 1] as number) : none;
      const skip = canSkip[s] === 1 ? (logAlpha[previous + s - 2] as number) : none;
      logAlpha[row + s] = logAdd3(stay, advance, skip) + logProb(t, s);
    }
  }
  const lastRow = (frames - 1) * states;
  const logLikelihood = logAdd(
    logAlpha[lastRow + states - 1] as number,
    states > 1 ? (logAlpha[lastRow + states - 2] as number) : none,
  );
  if (logLikelihood === none) return Number.POSITIVE_INFINITY;

  // Beta excludes the emission at t, as in the scaled version.
  let logBeta = new Float64Array(states).fill(none);
  let laterLogBeta = new Float64Array(states);
  logBeta[states - 1] = 0;
  if (states > 1) logBeta[states - 2] = 0;
  const mass = new Float64Array(states);
  const occupancy = new Float64Array(numClasses);
  for (let t = frames - 1; t >= 0; t--) {
    if (t < frames - 1) {
      [logBeta, laterLogBeta] = [laterLogBeta, logBeta];
      const weighted = (s: number) =>
        s < states ? (laterLogBeta[s] as number) + logProb(t + 1, s) : none;
      for (let s = 0; s < states; s++) {
        const skip = s + 2 < states && canSkip[s + 2] === 1 ? weighted(s + 2) : none;
        logBeta[s] = logAdd3(weighted(s), weighted(s + 1), skip);
      }
    }
    let peak = none;
    for (let s = 0; s < states; s++) {
      const value = (logAlpha[t * states + s] as number) + (logBeta[s] as number);
      mass[s] = value;
      if (value > peak) peak = value;
    }
    let total = 0;
    occupancy.fill(0);
    for (let s = 0; s < states; s++) {
      const share = Math.exp((mass[s] as number) - peak);
      total += share;
      const label = extendedLabels[s] as number;
      occupancy[label] = (occupancy[label] as number) + share;
    }
    const from = t * frameStride + firstOffset;
    for (let c = 0; c < numClasses; c++) {
      gradient[from + c] =
        Math.exp(logProbs[from + c] as number) - (occupancy[c] as number) / total;
    }
  }
  return -logLikelihood;
}
