import type { EmissionMatrix } from "./emissions.js";
import { numpyArgsort } from "./numpy-argsort.js";

/**
 * The labels a beam step considers in one frame: the `count` highest
 * emissions, best first, in the order `np.argsort(-emissions)[:count]` gives
 * (emg2qwerty's `max_labels_per_timestep`). A partial insertion selection finds
 * them without sorting the whole frame; only a frame whose chosen values tie
 * (or a NaN) falls back to NumPy's own algorithm, whose tie order is the one
 * that counts.
 */
export class LabelRanking {
  readonly numClasses: number;
  /** Labels per frame: `count` when 0 < count < numClasses, else all of them. */
  readonly count: number;
  /** Labels of the last ranked frame, best first, shape (count,). */
  readonly labels: Int32Array;
  private readonly topValues: Float64Array;
  private readonly negated: Float64Array;
  private readonly order: Int32Array;

  constructor(numClasses: number, count: number) {
    this.numClasses = numClasses;
    this.count = count > 0 && count < numClasses ? count : numClasses;
    this.labels = new Int32Array(this.count);
    this.topValues = new Float64Array(this.count);
    this.negated = new Float64Array(numClasses);
    this.order = new Int32Array(numClasses);
  }

  /** Ranks frame `t` of (T, C) emissions into `labels`. */
  rank(emissions: EmissionMatrix, t: number): void {
    const offset = t * this.numClasses;
    if (this.count === this.numClasses || !this.selectDistinct(emissions, offset)) {
      this.argsortFrame(emissions, offset);
    }
  }

  /** Insertion selection; false when ties or NaNs make the order NumPy's business. */
  private selectDistinct(emissions: EmissionMatrix, offset: number): boolean {
    const { count, labels, topValues, numClasses } = this;
    let filled = 0;
    for (let c = 0; c < numClasses; c++) {
      const value = emissions[offset + c] as number;
      if (filled === count && !(value > (topValues[count - 1] as number))) continue;
      let slot = filled < count ? filled++ : count - 1;
      while (slot > 0 && value > (topValues[slot - 1] as number)) {
        topValues[slot] = topValues[slot - 1] as number;
        labels[slot] = labels[slot - 1] as number;
        slot--;
      }
      topValues[slot] = value;
      labels[slot] = c;
    }
    for (let i = 1; i < count; i++) {
      if (!((topValues[i] as number) < (topValues[i - 1] as number))) return false;
    }
    // Exactly `count` values at or above the last chosen one: no tie at the cut, no NaN.
    const threshold = topValues[count - 1] as number;
    let atOrAbove = 0;
    for (let c = 0; c < numClasses; c++) {
      if (!((emissions[offset + c] as number) < threshold)) atOrAbove++;
    }
    return atOrAbove === count;
  }

  private argsortFrame(emissions: EmissionMatrix, offset: number): void {
    const { negated, order, labels, count } = this;
    for (let c = 0; c < this.numClasses; c++) {
      negated[c] = -(emissions[offset + c] as number);
      order[c] = c;
    }
    numpyArgsort(negated, order);
    for (let i = 0; i < count; i++) labels[i] = order[i] as number;
  }
}
