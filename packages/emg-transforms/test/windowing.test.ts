import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { openSession } from "@emgkit/emg-io";
import { describe, expect, it } from "vitest";
import { Random } from "../src/random.js";
import { placeWindow, readWindow, windowCount } from "../src/windowing.js";

interface Golden {
  samples: number;
  configs: Array<{
    window_length: number | null;
    stride: number | null;
    padding: [number, number];
    count: number;
    windows: Array<{ rows: number; sum: number; first: number[]; labels: number[] }>;
  }>;
}

const golden = JSON.parse(
  readFileSync(new URL("./golden/windowing.json", import.meta.url), "utf8"),
) as Golden;
const fixture = fileURLToPath(new URL("./fixtures/windowing.hdf5", import.meta.url));

describe("windows as emg2qwerty's WindowedEMGDataset cuts them", () => {
  it.each(golden.configs)("window $window_length, stride $stride, padding $padding", async (g) => {
    const options = { windowLength: g.window_length, stride: g.stride, padding: g.padding };
    expect(windowCount(golden.samples, options)).toBe(g.count);
    const session = await openSession(fixture);
    try {
      g.windows.forEach((expected, index) => {
        const window = readWindow(session, index, options);
        expect(window.time.length).toBe(expected.rows);
        let sum = 0;
        for (const v of window.emg) sum += v;
        expect(sum).toBeCloseTo(expected.sum, 3);
        expect([...window.emg.subarray(0, 4)]).toEqual(expected.first);
        expect([...window.labels.labels]).toEqual(expected.labels);
      });
    } finally {
      session.close();
    }
  });

  it("jitters within [0, min(stride, leftover)) and reproducibly from a seed", () => {
    const options = { windowLength: 400, stride: 150, padding: [100, 50] as const, jitter: true };
    const offsets = (seed: number) => {
      const random = new Random(seed);
      return Array.from({ length: 11 }, (_, i) => placeWindow(i, 2000, options, random).offset);
    };
    const first = offsets(1);
    expect(offsets(1)).toEqual(first);
    first.forEach((offset, i) => {
      const leftover = 2000 - (i * 150 + 400);
      expect(offset - i * 150).toBeGreaterThanOrEqual(0);
      expect(offset - i * 150).toBeLessThan(Math.max(1, Math.min(150, leftover)));
    });
    // With no room left (leftover 0) the window stays put.
    expect(placeWindow(3, 2000, { windowLength: 500, jitter: true }, new Random(5)).offset).toBe(
      1500,
    );
    expect(() => placeWindow(0, 2000, options)).toThrow(/jitter needs a Random/);
  });

  it("refuses windows that do not fit, like emg2qwerty's IndexError", () => {
    expect(windowCount(100, { windowLength: 500 })).toBe(1);
    expect(() => placeWindow(0, 100, { windowLength: 500 })).toThrow(/window 0 is out of range/);
    expect(() => placeWindow(4, 2000, { windowLength: 500 })).toThrow(
      /window 4 is out of range \(4 windows\)/,
    );
    expect(() => windowCount(100, { windowLength: 0 })).toThrow(/must be whole numbers > 0/);
  });
});
