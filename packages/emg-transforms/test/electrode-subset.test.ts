import { describe, expect, it } from "vitest";
import { chooseElectrodes, electrodeSubset, selectElectrodes } from "../src/electrode-subset.js";
import { Random } from "../src/random.js";
import { positionalWindow } from "./augment-golden.js";

describe("chooseElectrodes", () => {
  it("contiguous: k neighbours from start, wrapping around the ring", () => {
    expect(chooseElectrodes(4, { strategy: "contiguous" })).toEqual([0, 1, 2, 3]);
    expect(chooseElectrodes(4, { strategy: "contiguous", start: 14 })).toEqual([14, 15, 0, 1]);
    expect(chooseElectrodes(16, { strategy: "contiguous", start: 5 })).toHaveLength(16);
  });

  it("spread: round(i * 16 / k) from start, distinct for every k", () => {
    expect(chooseElectrodes(4, { strategy: "spread" })).toEqual([0, 4, 8, 12]);
    expect(chooseElectrodes(3, { strategy: "spread" })).toEqual([0, 5, 11]);
    expect(chooseElectrodes(8, { strategy: "spread", start: 1 })).toEqual([
      1, 3, 5, 7, 9, 11, 13, 15,
    ]);
    expect(chooseElectrodes(5, { strategy: "spread", start: 10 })).toEqual([10, 13, 0, 4, 7]);
    for (let k = 1; k <= 16; k++) {
      expect(new Set(chooseElectrodes(k, { strategy: "spread", start: 7 })).size).toBe(k);
    }
  });

  it("random: k distinct ascending electrodes, reproducible, covering all electrodes", () => {
    const random = new Random(12);
    const counts = new Array<number>(16).fill(0);
    for (let call = 0; call < 400; call++) {
      const chosen = chooseElectrodes(5, { strategy: "random", random });
      expect(chosen).toEqual([...new Set(chosen)].sort((a, b) => a - b));
      expect(chosen).toHaveLength(5);
      for (const electrode of chosen) counts[electrode] = (counts[electrode] ?? 0) + 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(80); // 125 expected each
    expect(chooseElectrodes(6, { strategy: "random", random: new Random(4) })).toEqual(
      chooseElectrodes(6, { strategy: "random", random: new Random(4) }),
    );
  });

  it("rejects k outside 1..16, a bad start and random without a Random", () => {
    expect(() => chooseElectrodes(0, { strategy: "spread" })).toThrow(RangeError);
    expect(() => chooseElectrodes(17, { strategy: "contiguous" })).toThrow(RangeError);
    expect(() => chooseElectrodes(3, { strategy: "contiguous", start: 16 })).toThrow(RangeError);
    expect(() => chooseElectrodes(3, { strategy: "random" })).toThrow(RangeError);
  });
});

describe("electrodeSubset", () => {
  it("keeps the chosen electrodes of both bands, (T, 2, k) in the chosen order", () => {
    const emg = positionalWindow(3);
    const { emg: subset, electrodes } = electrodeSubset(emg, 3, {
      strategy: "contiguous",
      start: 15,
    });
    expect(electrodes).toEqual([15, 0, 1]);
    expect(Array.from(subset)).toEqual(
      [0, 1, 2].flatMap((t) => [15, 0, 1, 31, 16, 17].map((c) => t * 100 + c)),
    );
  });

  it("selectElectrodes rejects indices outside the band", () => {
    expect(() => selectElectrodes(positionalWindow(1), [16])).toThrow(RangeError);
  });
});
