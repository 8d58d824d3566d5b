import { describe, expect, it } from "vitest";
import { randomBandRotation, rollBandChannels } from "../src/band-rotation.js";
import { Random } from "../src/random.js";
import { positionalWindow, readAugmentGolden } from "./augment-golden.js";

interface RollGolden {
  frames: number;
  input: number[];
  cases: { offsets: number[]; output: number[] }[];
}

describe("rollBandChannels", () => {
  it("equals torch.roll of each band's channels (golden)", () => {
    const golden = readAugmentGolden<RollGolden>("augment-roll.json");
    const input = Float32Array.from(golden.input);
    for (const { offsets, output } of golden.cases) {
      expect(Array.from(rollBandChannels(input, offsets)), `offsets ${offsets}`).toEqual(output);
    }
  });

  it("moves channel c to c + offset, wrapping, and leaves the other band alone", () => {
    const emg = positionalWindow(3);
    const rolled = rollBandChannels(emg, [1, 0]);
    for (let t = 0; t < 3; t++) {
      const frame = rolled.subarray(t * 32, t * 32 + 32);
      expect(frame[0]).toBe(t * 100 + 15); // left channel 15 wrapped to 0
      for (let c = 1; c < 16; c++) expect(frame[c]).toBe(t * 100 + c - 1);
      for (let c = 0; c < 16; c++) expect(frame[16 + c]).toBe(t * 100 + 16 + c);
    }
    const back = rollBandChannels(emg, [0, -1]);
    expect(back[16 + 15]).toBe(16); // right channel 0 wrapped to 15
    expect(back[16]).toBe(17);
  });

  it("rejects a window that is not (T, 2, 16) and a wrong number of offsets", () => {
    expect(() => rollBandChannels(new Float32Array(31), [0, 0])).toThrow(RangeError);
    expect(() => rollBandChannels(new Float32Array(32), [0])).toThrow(RangeError);
  });
});

describe("randomBandRotation", () => {
  it("draws one offset per band from the offsets and applies it", () => {
    const emg = positionalWindow(2);
    const random = new Random(3);
    const seen = new Set<string>();
    for (let call = 0; call < 200; call++) {
      const { emg: rotated, offsets } = randomBandRotation(emg, random);
      expect(offsets).toHaveLength(2);
      for (const offset of offsets) expect([-1, 0, 1]).toContain(offset);
      expect(rotated).toEqual(rollBandChannels(emg, offsets));
      seen.add(offsets.join(","));
    }
    expect(seen.size).toBe(9); // bands draw independently
  });

  it("is reproducible from a seed, and an empty offset list means no rotation", () => {
    const emg = positionalWindow(4);
    const first = randomBandRotation(emg, new Random(11), [-2, 5]);
    const second = randomBandRotation(emg, new Random(11), [-2, 5]);
    expect(second).toEqual(first);
    const none = randomBandRotation(emg, new Random(11), []);
    expect(none.offsets).toEqual([0, 0]);
    expect(none.emg).toEqual(emg);
  });
});
