import { Random } from "@emgkit/emg-transforms";

/** Deterministic uniform numbers in [0, 1) from a seed (emg-transforms' `Random`), for tests and benchmarks. */
export function randomGenerator(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}
