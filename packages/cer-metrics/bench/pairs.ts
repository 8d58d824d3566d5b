/** Deterministic benchmark inputs: a random text and a copy with about `errorRate` edits. */

const ALPHABET = "etaoinshrdlucmfwypvbgkjqxz    ⏎⌫";

function randomGenerator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
