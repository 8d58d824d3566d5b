import { describe, expect, it } from "vitest";
import { Random } from "../src/random.js";

describe("Random", () => {
  it("repeats its sequence for a seed and differs across seeds", () => {
    const a = new Random(42);
    const b = new Random(42);
    const sequence = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(sequence);
    expect(new Random(43).next()).not.toBe(sequence[0]);
    expect(sequence.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("draws integers in [low, high) with every value reachable", () => {
    const random = new Random(1);
    const counts = new Map<number, number>();
    for (let i = 0; i < 6000; i++) {
      const x = random.int(-2, 4);
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((p, q) => p - q)).toEqual([-2, -1, 0, 1, 2, 3]);
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(150);
    expect(() => random.int(3, 3)).toThrow(/empty range/);
  });

  it("draws standard normals with mean 0 and variance 1", () => {
    const random = new Random(7);
    const xs = Array.from({ length: 20_000 }, () => random.normal());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it("forks independent, reproducible streams", () => {
    const parent = new Random(9);
    const child = parent.fork();
    const again = new Random(9).fork();
    expect(child.next()).toBe(again.next());
    expect(new Random(9).choice(["a", "b", "c"])).toBe(new Random(9).choice(["a", "b", "c"]));
  });
});
