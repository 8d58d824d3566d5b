/**
 * Decodings against the ground truth: each character placed at a sample of the session (a decoded
 * character at its emission frame, a ground-truth character at its key press), and the edit
 * operations between them as coloured spans. No DOM.
 */
import { type EditOpCounts, editOpsList } from "@emgkit/cer-metrics";
import type { EmissionTiming } from "@emgkit/models";
import { type FrameGeometry, frameCenterSample } from "./features.js";

/** Text with one session sample per code point. */
export interface TimedText {
  text: string;
  samples: ArrayLike<number>;
}

/**
 * The sample (absolute, fractional) at the centre of what emission `u` sees, for emissions of a
 * range whose first raw sample is `rangeStart`.
 */
export function emissionSample(
  u: number,
  timing: EmissionTiming,
  geometry: FrameGeometry,
  rangeStart: number,
): number {
  return rangeStart + frameCenterSample(u * timing.stride + timing.offset, geometry);
}

/** Index of the first of ascending `times` that is >= t (times.length when none). */
export function lowerBound(times: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A decoding (labels turned to text, onsets in emission indices) placed on the session: character
 * i at the sample of emission `onsets[i]`.
 */
export function timedDecoding(
  decoded: { text: string; timestamps: ArrayLike<number> | null },
  timing: EmissionTiming,
  geometry: FrameGeometry,
  rangeStart: number,
): TimedText {
  const length = [...decoded.text].length;
  const samples = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const onset = (decoded.timestamps?.[i] as number | undefined) ?? 0;
    samples[i] = emissionSample(onset, timing, geometry, rangeStart);
  }
  return { text: decoded.text, samples };
}

/**
 * Ground truth (key-press times in unix seconds) placed on the session: each key at the first
 * sample of `times` (the range's sample times, first at `rangeStart`) at or after its press.
 */
export function timedGroundTruth(
  truth: { text: string; timestamps: ArrayLike<number> | null },
  times: ArrayLike<number>,
  rangeStart: number,
): TimedText {
  const length = [...truth.text].length;
  const samples = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const t = truth.timestamps?.[i] as number | undefined;
    samples[i] = rangeStart + (t === undefined ? 0 : lowerBound(times, t));
  }
  return { text: truth.text, samples };
}

/**
 * One step of the alignment, named as emg2qwerty's error rates count them (edit operations from
 * prediction to target): `insertion` a ground-truth character the prediction lacks (IER),
 * `deletion` an extra predicted character (DER), `substitution` a wrong one (SER).
 */
export type SpanKind = "match" | "substitution" | "insertion" | "deletion";

export interface AlignmentSpan {
  kind: SpanKind;
  /** Predicted character and its index (code points); absent for an insertion. */
  predicted?: string;
  predictedIndex?: number;
  /** Ground-truth character and its index; absent for a deletion. */
  target?: string;
  targetIndex?: number;
  /** Where it is drawn: the predicted character's sample, or the ground truth's for an insertion. */
  sample: number;
}

/**
 * The alignment of `prediction` to `target` from python-Levenshtein's edit operations (as the CER
 * counts them): matches in between, one span per operation, in order.
 */
export function alignmentSpans(prediction: TimedText, target: TimedText): AlignmentSpan[] {
  const predicted = [...prediction.text];
  const truth = [...target.text];
  const spans: AlignmentSpan[] = [];
  let i = 0;
  let j = 0;
  const predictedSpan = (kind: SpanKind, withTarget: boolean): AlignmentSpan => {
    const span: AlignmentSpan = {
      kind,
      predicted: predicted[i] as string,
      predictedIndex: i,
      sample: prediction.samples[i] as number,
    };
    if (withTarget) {
      span.target = truth[j] as string;
      span.targetIndex = j;
    }
    return span;
  };
  const matchUpTo = (source: number, destination: number) => {
    while (i < source && j < destination) {
      spans.push(predictedSpan("match", true));
      i++;
      j++;
    }
  };
  for (const op of editOpsList(prediction.text, target.text)) {
    matchUpTo(op.sourcePos, op.destPos);
    if (op.type === "replace") {
      spans.push(predictedSpan("substitution", true));
      i++;
      j++;
    } else if (op.type === "delete") {
      spans.push(predictedSpan("deletion", false));
      i++;
    } else {
      spans.push({
        kind: "insertion",
        target: truth[j] as string,
        targetIndex: j,
        sample: target.samples[j] as number,
      });
      j++;
    }
  }
  matchUpTo(predicted.length, truth.length);
  return spans;
}

/** Edit counts of an alignment: equal to `editOps(prediction, target)`. */
export function spanCounts(spans: readonly AlignmentSpan[]): EditOpCounts {
  const counts = { insertions: 0, deletions: 0, substitutions: 0 };
  for (const span of spans) {
    if (span.kind === "insertion") counts.insertions++;
    else if (span.kind === "deletion") counts.deletions++;
    else if (span.kind === "substitution") counts.substitutions++;
  }
  return counts;
}
