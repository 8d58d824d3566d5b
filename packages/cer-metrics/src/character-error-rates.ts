import { toCodePoints } from "./code-points.js";
import { editOps } from "./edit-ops.js";

/** A string, or an object carrying one in `text` (emg2qwerty's `LabelData`). */
export type TextLike = string | { readonly text: string };

/** Error rates in percent of the target length, as emg2qwerty's `compute()` returns them. */
export interface ErrorRates {
  /** Character error rate: (insertions + deletions + substitutions) / target length * 100. */
  CER: number;
  /** Insertion error rate: insertions / target length * 100. */
  IER: number;
  /** Deletion error rate: deletions / target length * 100. */
  DER: number;
  /** Substitution error rate: substitutions / target length * 100. */
  SER: number;
}

/** Errors of one (prediction, target) pair passed to {@link CharacterErrorRates.update}. */
export interface SampleErrors {
  insertions: number;
  deletions: number;
  substitutions: number;
  /** Target length in code points. */
  targetLength: number;
  /** This pair's CER in percent, or `null` when its target is empty. */
  CER: number | null;
}

function textOf(value: TextLike): string {
  return typeof value === "string" ? value : value.text;
}

/** Python's `errors / target_len * 100.0` on integers; JS doubles round identically. */
function percent(errors: number, targetLength: number): number {
  return (errors / targetLength) * 100;
}

/**
 * Running character error rates over (prediction, target) pairs, equal to emg2qwerty's
 * `metrics.CharacterErrorRates`: each pair adds python-Levenshtein's edit-op counts from
 * prediction to target and the target's length in code points; {@link compute} divides.
 */
export class CharacterErrorRates {
  private readonly pairs: SampleErrors[] = [];
  private insertions = 0;
  private deletions = 0;
  private substitutions = 0;
  private targetLength = 0;

  /** Adds one pair. Insertions are target characters the prediction lacks. */
  update(prediction: TextLike, target: TextLike): void {
    const targetText = textOf(target);
    const counts = editOps(textOf(prediction), targetText);
    const targetLength = toCodePoints(targetText).length;
    const errors = counts.insertions + counts.deletions + counts.substitutions;
    this.insertions += counts.insertions;
    this.deletions += counts.deletions;
    this.substitutions += counts.substitutions;
    this.targetLength += targetLength;
    this.pairs.push({
      ...counts,
      targetLength,
      CER: targetLength > 0 ? percent(errors, targetLength) : null,
    });
  }

  /**
   * The rates in percent over every pair since the last {@link reset}.
   * @throws Error when the total target length is 0 (no pairs, or only empty targets), where
   * emg2qwerty's Python raises ZeroDivisionError.
   */
  compute(): ErrorRates {
    const total = this.targetLength;
    if (total === 0) {
      throw new Error(
        "CharacterErrorRates.compute(): total target length is 0, so the rates are undefined",
      );
    }
    return {
      CER: percent(this.insertions + this.deletions + this.substitutions, total),
      IER: percent(this.insertions, total),
      DER: percent(this.deletions, total),
      SER: percent(this.substitutions, total),
    };
  }

  /** Forgets every pair. */
  reset(): void {
    this.pairs.length = 0;
    this.insertions = 0;
    this.deletions = 0;
    this.substitutions = 0;
    this.targetLength = 0;
  }

  /** Per-pair results in update order (copies; mutating them changes nothing here). */
  get samples(): SampleErrors[] {
    return this.pairs.map((sample) => ({ ...sample }));
  }
}
