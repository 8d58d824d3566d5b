/**
 * Classification metrics of per-time-point predictions (browser-safe, no tfjs): accuracy,
 * per-class precision / recall / F1, macro F1 and the confusion matrix.
 */

/** One class's scores; NaN-free: a ratio with a zero denominator is 0 (scikit-learn's `zero_division=0`). */
export interface ClassScores {
  name: string;
  /** Of the points predicted as this class, the fraction that are. */
  precision: number;
  /** Of the points of this class, the fraction predicted as it. */
  recall: number;
  /** Harmonic mean of precision and recall (0 when both are 0). */
  f1: number;
  /** Points whose true label is this class. */
  support: number;
}

export interface ClassificationMetrics {
  /** Fraction of points predicted correctly (0 for no points). */
  accuracy: number;
  /** One entry per class, in class-id order. */
  perClass: ClassScores[];
  /**
   * Unweighted mean of the per-class F1 over the classes that occur in the truth or the
   * predictions (scikit-learn's `f1_score(average="macro")` labels).
   */
  macroF1: number;
  /** (classes, classes): `confusion[true][predicted]` counts points. */
  confusion: number[][];
  /** Points scored. */
  count: number;
}

/**
 * `confusion[i][j]` = points whose true label is i and prediction j.
 * @param truth (T,) class ids in [0, classes)
 * @param predicted (T,) class ids in [0, classes)
 */
export function confusionMatrix(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: number,
): number[][] {
  if (truth.length !== predicted.length) {
    throw new RangeError(`${truth.length} true labels but ${predicted.length} predictions`);
  }
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] as number;
    const p = predicted[i] as number;
    for (const [what, label] of [
      ["true label", t],
      ["prediction", p],
    ] as const) {
      if (!(Number.isInteger(label) && label >= 0 && label < classes)) {
        throw new RangeError(`${what} ${label} at ${i} is not a class id in 0..${classes - 1}`);
      }
    }
    (matrix[t] as number[])[p] = ((matrix[t] as number[])[p] as number) + 1;
  }
  return matrix;
}

/**
 * Every metric of `ClassificationMetrics` from label arrays.
 * @param truth (T,) true class ids
 * @param predicted (T,) predicted class ids
 * @param classNames one name per class; its length is the number of classes
 */
export function classificationMetrics(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classNames: readonly string[],
): ClassificationMetrics {
  const classes = classNames.length;
  const confusion = confusionMatrix(truth, predicted, classes);
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  let correct = 0;
  const perClass = classNames.map((name, c) => {
    const row = confusion[c] as number[];
    const hits = row[c] as number;
    correct += hits;
    const support = row.reduce((sum, n) => sum + n, 0);
    const predictedAs = confusion.reduce((sum, r) => sum + (r[c] as number), 0);
    const precision = ratio(hits, predictedAs);
    const recall = ratio(hits, support);
    const f1 = ratio(2 * precision * recall, precision + recall);
    return { scores: { name, precision, recall, f1, support }, occurs: support + predictedAs > 0 };
  });
  const present = perClass.filter(({ occurs }) => occurs).map(({ scores }) => scores);
  return {
    accuracy: ratio(correct, truth.length),
    perClass: perClass.map(({ scores }) => scores),
    macroF1: ratio(
      present.reduce((sum, scores) => sum + scores.f1, 0),
      present.length,
    ),
    confusion,
    count: truth.length,
  };
}
