/** Deterministic benchmark inputs: a random text and a copy with about `errorRate` edits. */
import { randomGenerator } from "../test/random.js";

const ALPHABET = "etaoinshrdlucmfwypvbgkjqxz    ⏎⌫";

/** A (prediction, target) pair of `length` target characters at the given error rate. */
export function noisyPair(length: number, errorRate: number, seed: number) {
  const random = randomGenerator(seed);
  const pick = () => ALPHABET[Math.floor(random() * ALPHABET.length)] as string;
  const target = Array.from({ length }, pick);
  const prediction: string[] = [];
  for (const character of target) {
    const roll = random();
    if (roll >= errorRate) prediction.push(character);
    else if (roll < errorRate / 3)
      prediction.push(pick()); // substitution
    else if (roll < (2 * errorRate) / 3) prediction.push(pick(), character); // extra key
    // otherwise the key is dropped
  }
  return { prediction: prediction.join(""), target: target.join("") };
}
