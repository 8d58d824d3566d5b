/**
 * What one draw of the session view needs, shared by its layers (channels, axis, prompts,
 * ground truth, spectrogram).
 */
import { GUTTER_PX, type ViewRange } from "../app-context.js";
import type { LoadedSession } from "./session-loader.js";

export interface Frame {
  loaded: LoadedSession;
  range: ViewRange;
  /** Width of the view in CSS pixels, gutter included. */
  width: number;
  /** Device pixels per CSS pixel. */
  dpr: number;
}

/** Width of the plot area (right of the gutter), CSS pixels. */
export function plotWidth(width: number): number {
  return Math.max(1, width - GUTTER_PX);
}

/**
 * Sizes a canvas to `width` × `height` CSS pixels at `dpr`, only when that changes (resizing
 * clears it and costs a reallocation), and returns its context scaled to CSS pixels.
 */
export function fitCanvas(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  dpr: number,
): CanvasRenderingContext2D {
  const w = Math.max(1, Math.round(width * dpr));
  const h = Math.max(1, Math.round(height * dpr));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const context = canvas.getContext("2d");
  if (context === null) throw new Error("this browser gives no 2D canvas context");
  context.setTransform(dpr, 0, 0, dpr, 0, 0);
  return context;
}

/** First index `i` of sorted `values` with `values[i] >= x` (binary search). */
export function lowerBound(values: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Formats seconds for axis labels and readouts, with as many decimals as `step` needs. */
export function formatSeconds(seconds: number, step = 1): string {
  const decimals = step >= 1 ? 0 : Math.min(4, Math.ceil(-Math.log10(step) - 1e-9));
  if (Math.abs(seconds) >= 60 && step >= 1) {
    const m = Math.floor(seconds / 60);
    const s = seconds - m * 60;
    return `${m}:${s.toFixed(0).padStart(2, "0")}`;
  }
  return `${seconds.toFixed(decimals)} s`;
}
