import { Random } from "@emgkit/emg-transforms";
import { mixSeed } from "./seeds.js";

/** One batch to load: example indices and the seed of each example's random draws. */
export interface BatchRequest {
  indices: number[];
  seeds: number[];
}

/**
 * The batches of one epoch: examples in a seeded random order (train) or in
 * order (val, test), cut into batches of `batchSize`, the last one possibly
 * smaller (PyTorch's DataLoader without drop_last). A pure function of
 * (seed, epoch), so a resumed run replays the same batches.
 */
export function epochPlan(
  exampleCount: number,
  batchSize: number,
  options: { seed: number; epoch: number; shuffle: boolean },
): BatchRequest[] {
  if (!(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new RangeError(`batch size must be a whole number > 0, got ${batchSize}`);
  }
  const order = Array.from({ length: exampleCount }, (_, i) => i);
  if (options.shuffle) {
    const random = new Random(mixSeed(options.seed, options.epoch, 0x5348));
    for (let i = order.length - 1; i > 0; i--) {
      const j = random.int(0, i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
  }
  const batches: BatchRequest[] = [];
  for (let start = 0; start < order.length; start += batchSize) {
    const indices = order.slice(start, start + batchSize);
    batches.push({
      indices,
      seeds: indices.map((index) => mixSeed(options.seed, options.epoch, index, 0x4558)),
    });
  }
  return batches;
}
