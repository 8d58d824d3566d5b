/**
 * CTC forward-backward for one sequence in probability space, float64, with every time step
 * rescaled (Graves et al. 2006, section 4.2): multiply-adds where log space needs exp and log.
 *
 * Rescaling keeps each step's sum near 1, but a state far less likely than the others at the same
 * step can still fall below the normal float64 range and lose its digits. That only matters if
 * the paths through it later carry real probability mass, which the backward pass measures
 * (alpha * beta against the step's total); when it does, this returns `undefined` and the caller
 * recomputes the sequence in log space.
 */
import type { CtcSequence } from "./sequence.js";

/** Values below this may have lost digits to the subnormal range (normals start at 2.2e-308). */
const UNDERFLOW_RISK = 1e-290;
/** Share of a step's probability mass allowed to pass through values at risk of underflow. */
const NEGLIGIBLE_MASS = 1e-10;
/** Alpha rows are kept whole up to this many doubles (32 MiB), else checkpointed every ~sqrt(T). */
const WHOLE_ALPHA_DOUBLES = 1 << 22;

/** Scratch buffers reused across the sequences of a batch, grown on demand. */
export class ForwardBackwardWorkspace {
  /** exp(log-probabilities) of the current sequence, (T_n, C). */
  emissions = new Float64Array(0);
  /** Sum of each stored alpha row: the step's rescaling factor, (T_n,). */
  alphaSums = new Float64Array(0);
  /** Alpha rows at the start of each segment, (segments, L). */
  checkpoints = new Float64Array(0);
  /** Alpha rows of the segment being walked backwards, (segment length, L). */
  segment = new Float64Array(0);
  /** Two alternating rows: alpha between checkpoints in the forward pass, then beta. */
  alphaScratch = new Float64Array(0);
  betaRows = new Float64Array(0);
  /** Per-class sum of alpha * beta at one step, (C,). */
  occupancy = new Float64Array(0);

  reserve(
    frames: number,
    classes: number,
    states: number,
    segmentLength: number,
    segments: number,
  ) {
    if (this.emissions.length < frames * classes)
      this.emissions = new Float64Array(frames * classes);
    if (this.alphaSums.length < frames) this.alphaSums = new Float64Array(frames);
    if (this.checkpoints.length < segments * states) {
      this.checkpoints = new Float64Array(segments * states);
    }
    if (this.segment.length < segmentLength * states) {
      this.segment = new Float64Array(segmentLength * states);
    }
    if (this.alphaScratch.length < 2 * states) {
      this.alphaScratch = new Float64Array(2 * states);
      this.betaRows = new Float64Array(2 * states);
    }
    if (this.occupancy.length < classes) this.occupancy = new Float64Array(classes);
  }
}

/**
 * alpha_t(s) = (alpha_{t-1}(s) + alpha_{t-1}(s-1) [+ alpha_{t-1}(s-2)]) * y_t(l'_s) * scale,
 * written to `next`; returns the new row's sum.
 */
function alphaStep(
  previous: Float64Array,
  previousAt: number,
  next: Float64Array,
  nextAt: number,
  emissions: Float64Array,
  emissionsAt: number,
  scale: number,
  sequence: CtcSequence,
): number {
  const { extendedLabels, canSkip } = sequence;
  let sum = 0;
  let oneBack = 0;
  let twoBack = 0;
  for (let s = 0; s < extendedLabels.length; s++) {
    const here = previous[previousAt + s] as number;
    const paths = canSkip[s] === 1 ? here + oneBack + twoBack : here + oneBack;
    const value =
      paths * (emissions[emissionsAt + (extendedLabels[s] as number)] as number) * scale;
    next[nextAt + s] = value;
    sum += value;
    twoBack = oneBack;
    oneBack = here;
  }
  return sum;
}

/**
 * beta_t(s) = sum over s' in {s, s+1, s+2 if allowed} of beta_{t+1}(s') y_{t+1}(l'_{s'}) * scale,
 * with beta excluding the emission at t, so that sum_s alpha_t(s) beta_t(s) = P for every t.
 */
function betaStep(
  later: Float64Array,
  laterAt: number,
  current: Float64Array,
  currentAt: number,
  emissions: Float64Array,
  emissionsAt: number,
  scale: number,
  sequence: CtcSequence,
): number {
  const { extendedLabels, canSkip } = sequence;
  let sum = 0;
  let oneAhead = 0;
  let twoAhead = 0;
  let skipOneAhead = 0;
  let skipTwoAhead = 0;
  for (let s = extendedLabels.length - 1; s >= 0; s--) {
    const here =
      (later[laterAt + s] as number) *
      (emissions[emissionsAt + (extendedLabels[s] as number)] as number);
    const paths = skipTwoAhead === 1 ? here + oneAhead + twoAhead : here + oneAhead;
    const value = paths * scale;
    current[currentAt + s] = value;
    sum += value;
    twoAhead = oneAhead;
    oneAhead = here;
    skipTwoAhead = skipOneAhead;
    skipOneAhead = canSkip[s] as number;
  }
  return sum;
}

/**
 * Negative log-likelihood of one sequence; writes exp(lp) - occupancy (the gradient for a unit
 * output gradient, PyTorch's formula) into `gradient`, (T, N, C), at t < T_n. Returns
 * `undefined` when underflow may have cost accuracy (see the file comment). Needs T_n >= 1 and a
 * target that fits in T_n frames.
 */
export function scaledForwardBackward(
  sequence: CtcSequence,
  gradient: Float32Array,
  workspace: ForwardBackwardWorkspace,
): number | undefined {
  const { logProbs, numClasses, inputLength: frames, extendedLabels, distinctLabels } = sequence;
  const states = extendedLabels.length;
  const frameStride = sequence.batchSize * numClasses;
  const firstOffset = sequence.batchIndex * numClasses;
  const segmentLength =
    frames * states <= WHOLE_ALPHA_DOUBLES ? frames : Math.max(2, Math.ceil(Math.sqrt(frames)));
  const segments = Math.ceil(frames / segmentLength);
  const lastSegmentStart = (segments - 1) * segmentLength;
  workspace.reserve(frames, numClasses, states, segmentLength, segments);
  const { emissions, alphaSums, checkpoints, segment, alphaScratch, betaRows, occupancy } =
    workspace;
  occupancy.fill(0);

  // Every class's probability: the recursions read the target's, the gradient needs them all.
  for (let t = 0; t < frames; t++) {
    const from = t * frameStride + firstOffset;
    const to = t * numClasses;
    for (let c = 0; c < numClasses; c++) {
      const probability = Math.exp(logProbs[from + c] as number);
      emissions[to + c] = probability;
      gradient[from + c] = probability;
    }
  }

  // Forward: rows of the last segment stay in `segment`, earlier ones only at checkpoints.
  let previous: Float64Array = segment;
  let previousAt = 0;
  let logLikelihood = 0;
  for (let t = 0; t < frames; t++) {
    let row: Float64Array;
    let rowAt: number;
    if (t >= lastSegmentStart) {
      row = segment;
      rowAt = (t - lastSegmentStart) * states;
    } else if (t % segmentLength === 0) {
      row = checkpoints;
      rowAt = (t / segmentLength) * states;
    } else {
      row = alphaScratch;
      rowAt = (t & 1) * states;
    }
    let sum: number;
    if (t === 0) {
      row.fill(0, rowAt, rowAt + states);
      row[rowAt] = emissions[extendedLabels[0] as number] as number;
      if (states > 1) row[rowAt + 1] = emissions[extendedLabels[1] as number] as number;
      sum = (row[rowAt] as number) + (states > 1 ? (row[rowAt + 1] as number) : 0);
    } else {
      const scale = 1 / (alphaSums[t - 1] as number);
      sum = alphaStep(previous, previousAt, row, rowAt, emissions, t * numClasses, scale, sequence);
    }
    if (!(sum >= UNDERFLOW_RISK)) return undefined;
    alphaSums[t] = sum;
    if (t < frames - 1) logLikelihood += Math.log(sum);
    previous = row;
    previousAt = rowAt;
  }
  const lastRowAt = (frames - 1 - lastSegmentStart) * states;
  const final =
    (segment[lastRowAt + states - 1] as number) +
    (states > 1 ? (segment[lastRowAt + states - 2] as number) : 0);
  if (!(final >= UNDERFLOW_RISK)) return undefined;
  logLikelihood += Math.log(final);

  // Backward, segment by segment from the end, recomputing each earlier segment's alpha rows.
  let betaAt = 0;
  let betaSum = 0;
  for (let t = frames - 1; t >= 0; t--) {
    const segmentStart = Math.floor(t / segmentLength) * segmentLength;
    if (t === segmentStart + segmentLength - 1 && segmentStart < lastSegmentStart) {
      const checkpointAt = (segmentStart / segmentLength) * states;
      segment.set(checkpoints.subarray(checkpointAt, checkpointAt + states));
      for (let j = 1; j < segmentLength; j++) {
        const scale = 1 / (alphaSums[segmentStart + j - 1] as number);
        const at = segmentStart + j;
        alphaStep(
          segment,
          (j - 1) * states,
          segment,
          j * states,
          emissions,
          at * numClasses,
          scale,
          sequence,
        );
      }
    }
    const nextBetaAt = states - betaAt;
    if (t === frames - 1) {
      betaRows.fill(0, nextBetaAt, nextBetaAt + states);
      betaRows[nextBetaAt + states - 1] = 1;
      if (states > 1) betaRows[nextBetaAt + states - 2] = 1;
      betaSum = states > 1 ? 2 : 1;
    } else {
      const scale = 1 / betaSum;
      betaSum = betaStep(
        betaRows,
        betaAt,
        betaRows,
        nextBetaAt,
        emissions,
        (t + 1) * numClasses,
        scale,
        sequence,
      );
      if (!(betaSum >= UNDERFLOW_RISK)) return undefined;
    }
    betaAt = nextBetaAt;

    // Occupancy of each class at t, over the states that lie on some complete path.
    const alphaAt = (t - segmentStart) * states;
    const low = Math.max(0, states - 2 * (frames - t));
    const high = Math.min(states, 2 * t + 2);
    let total = 0;
    let massAtRisk = 0;
    for (let s = low; s < high; s++) {
      const alpha = segment[alphaAt + s] as number;
      const beta = betaRows[betaAt + s] as number;
      const mass = alpha * beta;
      total += mass;
      const label = extendedLabels[s] as number;
      occupancy[label] = (occupancy[label] as number) + mass;
      if (alpha < UNDERFLOW_RISK || beta < UNDERFLOW_RISK) {
        massAtRisk += Math.max(alpha, UNDERFLOW_RISK) * Math.max(beta, UNDERFLOW_RISK);
      }
    }
    if (!(massAtRisk <= NEGLIGIBLE_MASS * total)) return undefined;
    const from = t * frameStride + firstOffset;
    const inverseTotal = 1 / total;
    for (let i = 0; i < distinctLabels.length; i++) {
      const label = distinctLabels[i] as number;
      gradient[from + label] =
        (emissions[t * numClasses + label] as number) - (occupancy[label] as number) * inverseTotal;
      occupancy[label] = 0;
    }
  }
  return -logLikelihood;
}
