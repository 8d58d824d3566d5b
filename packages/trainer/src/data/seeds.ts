/**
 * A 32-bit seed from several integers (run seed, epoch, example index, ...),
 * so every random draw of a run is a pure function of where it happens:
 * resuming at an epoch boundary replays exactly the draws an uninterrupted
 * run makes. murmur3's finalizer mixes each part in.
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}
