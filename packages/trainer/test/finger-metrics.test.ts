import { describe, expect, it } from "vitest";
import { classificationMetrics, confusionMatrix } from "../src/finger/metrics.js";

describe("finger metrics", () => {
  // 10 points, 3 classes.
  const truth = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
  const predicted = [0, 0, 1, 2, 1, 1, 0, 2, 2, 1];

  it("counts the confusion matrix with rows true and columns predicted", () => {
    expect(confusionMatrix(truth, predicted, 3)).toEqual([
      [2, 1, 1],
      [1, 2, 0],
      [0, 1, 2],
    ]);
  });

  it("gives accuracy, per-class precision/recall/F1/support and macro F1", () => {
    const m = classificationMetrics(truth, predicted, ["a", "b", "c"]);
    expect(m.accuracy).toBe(0.6);
    expect(m.count).toBe(10);
    // a: precision 2/3, recall 2/4, F1 = 2 pr / (p + r) = 4/7.
    // b: precision 2/4, recall 2/3, F1 4/7. c: precision 2/3, recall 2/3, F1 2/3.
    const [a, b, c] = m.perClass;
    expect(a).toEqual({
      name: "a",
      precision: 2 / 3,
      recall: 0.5,
      f1: expect.any(Number),
      support: 4,
    });
    expect(a?.f1).toBeCloseTo(4 / 7, 14);
    expect(b?.precision).toBe(0.5);
    expect(b?.recall).toBe(2 / 3);
    expect(b?.f1).toBeCloseTo(4 / 7, 14);
    expect(b?.support).toBe(3);
    expect(c?.f1).toBeCloseTo(2 / 3, 14);
    expect(m.macroF1).toBeCloseTo((4 / 7 + 4 / 7 + 2 / 3) / 3, 14);
  });

  it("scores absent classes 0 and leaves out of the macro F1 those neither true nor predicted", () => {
    // Class 2 never occurs; class 3 is predicted but never true.
    const m = classificationMetrics([0, 0, 1, 1], [0, 3, 1, 1], ["a", "b", "c", "d"]);
    expect(m.perClass[2]).toEqual({ name: "c", precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.perClass[3]).toEqual({ name: "d", precision: 0, recall: 0, f1: 0, support: 0 });
    // F1: a 2/3 (precision 1, recall 1/2), b 1, d 0; c is not counted (scikit-learn's labels).
    expect(m.macroF1).toBeCloseTo((2 / 3 + 1 + 0) / 3, 14);
    expect(m.accuracy).toBe(0.75);
  });

  it("handles no points and rejects bad labels", () => {
    const empty = classificationMetrics([], [], ["a", "b"]);
    expect(empty.accuracy).toBe(0);
    expect(empty.macroF1).toBe(0);
    expect(() => confusionMatrix([0, 1], [0], 2)).toThrow(/2 true labels but 1 predictions/);
    expect(() => confusionMatrix([0, 2], [0, 1], 2)).toThrow(/true label 2 at 1/);
    expect(() => confusionMatrix([0, 1], [0, -1], 2)).toThrow(/prediction -1 at 1/);
  });
});
