import { describe, expect, it } from "vitest";
import { GUTTER_PX, sampleToX } from "../src/app-context.js";
import {
  clampRange,
  MIN_SPAN,
  panRange,
  samplesPerPixel,
  xToSample,
  zoomRange,
} from "../src/session/view-range.js";

const LENGTH = 2_400_000;

describe("time ↔ x", () => {
  const range = { start: 1000, end: 21_000 };
  const width = 1096; // 1000 px of plot

  it("puts the range's ends at the gutter and the right edge", () => {
    expect(sampleToX(1000, range, width)).toBe(GUTTER_PX);
    expect(sampleToX(21_000, range, width)).toBe(width);
    expect(sampleToX(11_000, range, width)).toBe(GUTTER_PX + 500);
    expect(samplesPerPixel(range, width)).toBe(20);
  });

  it("xToSample inverts sampleToX", () => {
    for (const s of [1000, 1234.5, 15_000, 21_000, -50, 30_000]) {
      expect(xToSample(sampleToX(s, range, width), range, width)).toBeCloseTo(s, 6);
    }
  });
});

describe("clampRange", () => {
  it("keeps ranges inside the session, moving rather than shrinking them", () => {
    expect(clampRange(-500, 1500, LENGTH)).toEqual({ start: 0, end: 2000 });
    expect(clampRange(LENGTH - 100, LENGTH + 900, LENGTH)).toEqual({
      start: LENGTH - 1000,
      end: LENGTH,
    });
  });

  it("holds the span between MIN_SPAN and the session's length, in whole samples", () => {
    expect(clampRange(100, 101, LENGTH)).toEqual({ start: 100, end: 100 + MIN_SPAN });
    expect(clampRange(-1e9, 1e9, LENGTH)).toEqual({ start: 0, end: LENGTH });
    expect(clampRange(10.4, 2010.6, LENGTH)).toEqual({ start: 10, end: 2010 });
    expect(clampRange(0, 100, 10)).toEqual({ start: 0, end: 10 });
    expect(clampRange(0, 100, 0)).toEqual({ start: 0, end: 0 });
  });
});

describe("zoomRange", () => {
  const range = { start: 10_000, end: 30_000 };

  it("zooms about the centre by default", () => {
    expect(zoomRange(range, 0.5, LENGTH)).toEqual({ start: 15_000, end: 25_000 });
    expect(zoomRange(range, 2, LENGTH)).toEqual({ start: 0, end: 40_000 });
  });

  it("keeps the anchor sample at the same place", () => {
    const zoomed = zoomRange(range, 0.25, LENGTH, 12_000);
    // The anchor was 10% into the range; it still is.
    expect((12_000 - zoomed.start) / (zoomed.end - zoomed.start)).toBeCloseTo(0.1, 3);
    expect(zoomed.end - zoomed.start).toBe(5000);
  });

  it("stops at MIN_SPAN and at the whole session", () => {
    expect(zoomRange(range, 1e-9, LENGTH).end - zoomRange(range, 1e-9, LENGTH).start).toBe(
      MIN_SPAN,
    );
    expect(zoomRange(range, 1e9, LENGTH)).toEqual({ start: 0, end: LENGTH });
  });

  it("zooming out near an end shifts the range inside", () => {
    expect(zoomRange({ start: 0, end: 1000 }, 4, LENGTH, 0)).toEqual({ start: 0, end: 4000 });
  });
});

describe("panRange", () => {
  it("moves by whole samples and stops at the ends", () => {
    expect(panRange({ start: 100, end: 1100 }, 250, LENGTH)).toEqual({ start: 350, end: 1350 });
    expect(panRange({ start: 100, end: 1100 }, -250, LENGTH)).toEqual({ start: 0, end: 1000 });
    expect(panRange({ start: LENGTH - 1000, end: LENGTH }, 5, LENGTH)).toEqual({
      start: LENGTH - 1000,
      end: LENGTH,
    });
  });
});
