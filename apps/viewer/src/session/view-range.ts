/**
 * The visible range's math: clamping to the session, zooming about an anchor sample, panning,
 * and the mapping between samples and x (the inverse of app-context's `sampleToX`).
 * Ranges are whole samples `[start, end)`.
 */
import { GUTTER_PX, type ViewRange } from "../app-context.js";

/** The narrowest range the view zooms to, in samples (16 ms at 2 kHz). */
export const MIN_SPAN = 32;

/**
 * The range of `span` samples nearest to `[start, start + span)` that lies inside `[0, length]`,
 * with the span held within `[min(minSpan, length), length]` and rounded to whole samples.
 */
export function clampRange(
  start: number,
  end: number,
  length: number,
  minSpan = MIN_SPAN,
): ViewRange {
  if (length <= 0) return { start: 0, end: 0 };
  const span = Math.min(length, Math.max(Math.min(minSpan, length), Math.round(end - start)));
  const first = Math.min(length - span, Math.max(0, Math.round(start)));
  return { start: first, end: first + span };
}

/**
 * Zooms by `factor` (above 1: out, showing more samples) keeping `anchor` (a sample, by default
 * the centre) at the same x.
 */
export function zoomRange(
  range: ViewRange,
  factor: number,
  length: number,
  anchor = (range.start + range.end) / 2,
  minSpan = MIN_SPAN,
): ViewRange {
  const span = range.end - range.start;
  const wanted = Math.min(length, Math.max(Math.min(minSpan, length), span * factor));
  const fraction = span > 0 ? (anchor - range.start) / span : 0.5;
  const start = anchor - fraction * wanted;
  return clampRange(start, start + wanted, length, minSpan);
}

/** Moves the range by `delta` samples (positive: later), stopping at the session's ends. */
export function panRange(range: ViewRange, delta: number, length: number): ViewRange {
  return clampRange(range.start + delta, range.end + delta, length);
}

/** Samples per CSS pixel of the plot area (the view's width less the gutter). */
export function samplesPerPixel(range: ViewRange, width: number): number {
  return (range.end - range.start) / Math.max(1, width - GUTTER_PX);
}

/** The sample (fractional) at x CSS pixels from the view's left edge: `sampleToX`'s inverse. */
export function xToSample(x: number, range: ViewRange, width: number): number {
  return range.start + (x - GUTTER_PX) * samplesPerPixel(range, width);
}

/** Whether two ranges are the same samples. */
export function sameRange(a: ViewRange, b: ViewRange): boolean {
  return a.start === b.start && a.end === b.end;
}
