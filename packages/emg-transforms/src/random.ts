/**
 * A seedable random source, so that every augmentation and every simulated
 * session can be reproduced from a seed. mulberry32: 32-bit state, fast,
 * statistically fine for augmentation and simulation (not for cryptography).
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [low, high) (numpy's `randint(low, high)`). */
  int(low: number, high: number): number {
    if (!(high > low)) throw new RangeError(`empty range [${low}, ${high})`);
    return low + Math.floor(this.next() * (high - low));
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]: log stays finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** One element of a non-empty list, uniformly. */
  choice<T>(items: readonly T[]): T {
    return items[this.int(0, items.length)] as T;
  }

  /** A new generator seeded from this one, for independent streams (per user, per session). */
  fork(): Random {
    return new Random(Math.floor(this.next() * 4294967296));
  }
}
