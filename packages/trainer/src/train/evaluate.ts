import { basename } from "node:path";
import { CharacterErrorRates } from "@emgkit/cer-metrics";
import { type CTCDecoder, CTCGreedyDecoder } from "@emgkit/ctc";
import type { EmgModel } from "@emgkit/models";
import { openBatchLoader } from "../data/batch-loader.js";
import { epochPlan } from "../data/epoch-plan.js";
import type { ExampleSetSpec } from "../data/example-set.js";
import { evalStep } from "./ctc-step.js";
import { batchTarget, ratesOrNaN } from "./score.js";

/** One scored example (a whole session at test time). */
export interface Prediction {
  /** The session file (whole-session evaluation) or `window <i>`. */
  session: string;
  prediction: string;
  target: string;
  CER: number;
}

export interface Evaluation {
  /** Mean CTC loss per example. */
  loss: number;
  CER: number;
  IER: number;
  DER: number;
  SER: number;
  sessions: number;
  characters: number;
  predictions: Prediction[];
}

/**
 * Runs `model` in eval mode over every example of `data` (for the test phase:
 * whole sessions, batch 1, as emg2qwerty's test loop) and scores `decoder`'s
 * output against the ground truth; `decoder` defaults to greedy.
 */
export async function evaluate(
  model: EmgModel,
  data: ExampleSetSpec,
  options: {
    decoder?: CTCDecoder;
    batchSize?: number;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<Evaluation> {
  const decoder = options.decoder ?? new CTCGreedyDecoder();
  const loader = await openBatchLoader(data, { worker: false });
  try {
    const plan = epochPlan(loader.length, options.batchSize ?? 1, {
      seed: 0,
      epoch: 0,
      shuffle: false,
    });
    const rates = new CharacterErrorRates();
    const predictions: Prediction[] = [];
    let lossSum = 0;
    let characters = 0;
    for (const [b, request] of plan.entries()) {
      const batch = await loader.load(request);
      const output = evalStep(model, batch);
      const decoded = decoder.decodeBatch(output.emissions, output.emissionLengths);
      decoded.forEach((prediction, n) => {
        const target = batchTarget(batch, n).text;
        const single = new CharacterErrorRates();
        single.update(prediction.text, target);
        rates.update(prediction.text, target);
        characters += [...target].length;
        const index = request.indices[n] as number;
        predictions.push({
          // Whole sessions (test) are named by file; windows by their index.
          session:
            data.windowing.windowLength === null
              ? basename(data.paths[index] as string)
              : `window ${index}`,
          prediction: prediction.text,
          target,
          CER: ratesOrNaN(single).CER,
        });
      });
      lossSum += output.loss * batch.shape[1];
      options.onProgress?.(b + 1, plan.length);
    }
    return {
      loss: predictions.length === 0 ? Number.NaN : lossSum / predictions.length,
      ...ratesOrNaN(rates),
      sessions: predictions.length,
      characters,
      predictions,
    };
  } finally {
    await loader.close();
  }
}
