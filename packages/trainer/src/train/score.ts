import type { CharacterErrorRates } from "@emgkit/cer-metrics";
import { greedyDecodeBatch } from "@emgkit/ctc";
import { LabelData } from "@emgkit/emg-io";
import type { Batch } from "../data/collate.js";
import type { StepOutput } from "./ctc-step.js";

/** The ground truth of example n of a batch. */
export function batchTarget(batch: Batch, n: number): LabelData {
  const S = batch.targets.length / batch.shape[1];
  return LabelData.fromLabels(
    batch.targets.subarray(n * S, n * S + (batch.targetLengths[n] as number)),
  );
}

/** Greedy decodes a batch's emissions and adds each (prediction, target) to `rates`, as emg2qwerty's `_step`. */
export function scoreGreedy(rates: CharacterErrorRates, batch: Batch, output: StepOutput): void {
  const predictions = greedyDecodeBatch(output.emissions, output.emissionLengths);
  predictions.forEach((prediction, n) => {
    rates.update(LabelData.fromLabels(prediction.labels).text, batchTarget(batch, n).text);
  });
}

/** CER/IER/DER/SER, or NaN for each when nothing had a target character (an empty epoch). */
export function ratesOrNaN(rates: CharacterErrorRates): {
  CER: number;
  IER: number;
  DER: number;
  SER: number;
} {
  try {
    return rates.compute();
  } catch {
    return { CER: Number.NaN, IER: Number.NaN, DER: Number.NaN, SER: Number.NaN };
  }
}
