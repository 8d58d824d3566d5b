import { describe, expect, it } from "vitest";
import { shiftBandAlignment, temporalAlignmentJitter } from "../src/alignment-jitter.js";
import { Random } from "../src/random.js";
import { positionalWindow } from "./augment-golden.js";

/** Frame index encoded in a positional window value (t * 100 + band * 16 + channel). */
const frameOf = (value: number) => Math.floor(value / 100);

describe("shiftBandAlignment", () => {
  it("offset > 0 drops the first samples of the left band and the last of the right", () => {
    const { emg, frames } = shiftBandAlignment(positionalWindow(10), 3);
    expect(frames).toBe(7);
    expect(emg).toHaveLength(7 * 32);
    for (let t = 0; t < 7; t++) {
      for (let c = 0; c < 16; c++) {
        expect(emg[t * 32 + c]).toBe((t + 3) * 100 + c);
        expect(emg[t * 32 + 16 + c]).toBe(t * 100 + 16 + c);
      }
    }
  });

  it("offset < 0 is the mirror", () => {
    const { emg, frames } = shiftBandAlignment(positionalWindow(10), -4);
    expect(frames).toBe(6);
    for (let t = 0; t < 6; t++) {
      expect(frameOf(emg[t * 32] as number)).toBe(t);
      expect(frameOf(emg[t * 32 + 16] as number)).toBe(t + 4);
    }
  });

  it("offset 0 keeps the window; |offset| >= T leaves no frames", () => {
    const window = positionalWindow(5);
    expect(shiftBandAlignment(window, 0).emg).toEqual(window);
    expect(shiftBandAlignment(window, 5).frames).toBe(0);
    expect(shiftBandAlignment(window, -9).emg).toHaveLength(0);
  });
});

describe("temporalAlignmentJitter", () => {
  it("draws offsets over all of [-max, max] and keeps both bands T - |offset| long", () => {
    const window = positionalWindow(50);
    const random = new Random(5);
    const seen = new Set<number>();
    for (let call = 0; call < 400; call++) {
      const { emg, frames, offset } = temporalAlignmentJitter(window, 4, random);
      seen.add(offset);
      expect(frames).toBe(50 - Math.abs(offset));
      expect(emg).toHaveLength(frames * 32);
      expect(frameOf(emg[0] as number) - frameOf(emg[16] as number)).toBe(offset);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-4, -3, -2, -1, 0, 1, 2, 3, 4]);
  });

  it("is reproducible from a seed and rejects a negative max offset", () => {
    const window = positionalWindow(30);
    expect(temporalAlignmentJitter(window, 10, new Random(9))).toEqual(
      temporalAlignmentJitter(window, 10, new Random(9)),
    );
    expect(() => temporalAlignmentJitter(window, -1, new Random(9))).toThrow(RangeError);
  });
});
