/**
 * The time-aligned drawings of a model's output under the session view: the emission heatmap and
 * the decodings (ground truth, greedy, beam) as coloured characters, on the session view's axis.
 */
import { charset } from "@emgkit/emg-io";
import { GUTTER_PX, sampleToX, type ViewRange } from "../app-context.js";
import { viridis } from "../session/colormap.js";
import type { AlignmentSpan, SpanKind, TimedText } from "./alignment.js";
import { frameCenterSample } from "./features.js";
import type { RangeEmissions } from "./range-run.js";

/** The (fractional) emission index whose centre is at session sample `sample`. */
export function emissionAtSample(sample: number, result: RangeEmissions): number {
  const { geometry, timing } = result;
  const frame = (sample - result.start - frameCenterSample(0, geometry)) / geometry.hop;
  return (frame - timing.offset) / timing.stride;
}

/** log-probability shown as the darkest colour; 0 (probability 1) is the brightest. */
const FLOOR = -8;
const OUTSIDE = 0xfff0f0f0;
const GUTTER = 0xffffffff;

/**
 * Paints the emissions as an image one pixel per class (rows, blank last) and per CSS pixel of
 * width (columns): each column the maximum log-probability of the emissions under it.
 */
export function paintHeatmap(
  canvas: HTMLCanvasElement,
  result: RangeEmissions,
  range: ViewRange,
  width: number,
): void {
  const C = result.classes;
  canvas.width = Math.max(1, Math.round(width));
  canvas.height = C;
  const context = canvas.getContext("2d");
  if (context === null) return;
  const image = context.createImageData(canvas.width, C);
  const pixels = new Uint32Array(image.data.buffer);
  const column = new Float32Array(C);
  const span = range.end - range.start;
  const plot = canvas.width - GUTTER_PX;
  for (let x = 0; x < canvas.width; x++) {
    if (x < GUTTER_PX || plot <= 0) {
      for (let c = 0; c < C; c++) pixels[c * canvas.width + x] = GUTTER;
      continue;
    }
    const s0 = range.start + ((x - GUTTER_PX) / plot) * span;
    const s1 = range.start + ((x + 1 - GUTTER_PX) / plot) * span;
    const a = emissionAtSample(s0, result);
    const b = emissionAtSample(s1, result);
    let u0 = Math.ceil(a);
    let u1 = Math.ceil(b);
    if (u1 <= u0) {
      u0 = Math.round((a + b) / 2);
      u1 = u0 + 1;
    }
    u0 = Math.max(0, u0);
    u1 = Math.min(result.count, u1);
    if (u1 <= u0) {
      for (let c = 0; c < C; c++) pixels[c * canvas.width + x] = OUTSIDE;
      continue;
    }
    column.fill(Number.NEGATIVE_INFINITY);
    for (let u = u0; u < u1; u++) {
      const row = u * C;
      for (let c = 0; c < C; c++) {
        const value = result.emissions[row + c] as number;
        if (value > (column[c] as number)) column[c] = value;
      }
    }
    for (let c = 0; c < C; c++) {
      const level = Math.min(1, Math.max(0, ((column[c] as number) - FLOOR) / -FLOOR));
      pixels[c * canvas.width + x] = viridis[Math.round(level * 255)] as number;
    }
  }
  context.putImageData(image, 0, 0);
}

/** A character as shown on a track: the charset's symbols, a visible space. */
export function shownChar(char: string): string {
  return char === " " ? "␣" : char;
}

/** Name of class `c` for tooltips. */
export function className(c: number): string {
  if (c === charset.nullClass) return "blank";
  return shownChar(charset.labelsToStr([c]));
}

/** "t 12.34 s · a 0.91 · blank 0.05 · s 0.02": the top classes at a sample. */
export function describeColumn(sample: number, result: RangeEmissions): string {
  const u = Math.round(emissionAtSample(sample, result));
  if (u < 0 || u >= result.count) return "not computed here";
  const C = result.classes;
  const row = Array.from({ length: C }, (_, c) => [c, result.emissions[u * C + c] as number]);
  row.sort((p, q) => (q[1] as number) - (p[1] as number));
  const top = row
    .slice(0, 3)
    .map(([c, logp]) => `${className(c as number)} ${Math.exp(logp as number).toFixed(2)}`);
  return `emission ${u} · ${top.join(" · ")}`;
}

export const SPAN_COLOURS: Record<SpanKind, string | null> = {
  match: null,
  substitution: "#f6b26b",
  deletion: "#ea6a5a",
  insertion: "#7fb2e5",
};

/** One row of a decoding track. */
export interface TrackRow {
  label: string;
  /** Ground truth: plain characters. */
  text?: TimedText;
  /** A decoding: its alignment spans (an insertion is drawn at its ground-truth key). */
  spans?: readonly AlignmentSpan[];
}

export const ROW_PX = 22;

/** Draws the rows (ground truth and decodings) on the session view's time axis. */
export function drawTracks(
  canvas: HTMLCanvasElement,
  rows: readonly TrackRow[],
  range: ViewRange,
  width: number,
  computed: { start: number; end: number } | null,
): void {
  const dpr = globalThis.devicePixelRatio || 1;
  const height = rows.length * ROW_PX;
  canvas.width = Math.max(1, Math.round(width * dpr));
  canvas.height = Math.max(1, Math.round(height * dpr));
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const g = canvas.getContext("2d");
  if (g === null) return;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, width, height);
  const x = (sample: number) => sampleToX(sample, range, width);
  if (computed !== null) {
    // Grey where the model did not run.
    g.fillStyle = "#f3f3f3";
    const left = Math.max(GUTTER_PX, x(computed.start));
    const right = Math.min(width, x(computed.end));
    if (left > GUTTER_PX) g.fillRect(GUTTER_PX, 0, left - GUTTER_PX, height);
    if (right < width) g.fillRect(Math.max(GUTTER_PX, right), 0, width - right, height);
  }
  g.font = "12px ui-monospace, SFMono-Regular, Menlo, monospace";
  g.textAlign = "center";
  g.textBaseline = "middle";
  rows.forEach((row, index) => {
    const top = index * ROW_PX;
    const middle = top + ROW_PX / 2;
    g.fillStyle = "#555";
    g.textAlign = "left";
    g.fillText(row.label, 6, middle, GUTTER_PX - 10);
    g.textAlign = "center";
    g.strokeStyle = "#eee";
    g.beginPath();
    g.moveTo(0, top + ROW_PX - 0.5);
    g.lineTo(width, top + ROW_PX - 0.5);
    g.stroke();
    const items: Array<{ sample: number; char: string; kind: SpanKind }> = row.text
      ? [...row.text.text].map((char, i) => ({
          sample: row.text?.samples[i] as number,
          char,
          kind: "match" as const,
        }))
      : (row.spans ?? []).map((span) => ({
          sample: span.sample,
          char: (span.kind === "insertion" ? span.target : span.predicted) ?? "",
          kind: span.kind,
        }));
    const visible = items.filter((item) => item.sample >= range.start && item.sample < range.end);
    // Characters when they have room, else ticks.
    const dense = visible.length > 0 && (width - GUTTER_PX) / visible.length < 8;
    for (const item of visible) {
      const at = x(item.sample);
      const colour = SPAN_COLOURS[item.kind];
      if (dense) {
        g.fillStyle = colour ?? "#999";
        g.fillRect(at - 0.5, top + 5, colour === null ? 1 : 2, ROW_PX - 10);
        continue;
      }
      if (colour !== null) {
        g.fillStyle = colour;
        g.fillRect(at - 5, top + 3, 10, ROW_PX - 6);
      }
      g.fillStyle = item.kind === "insertion" ? "#1f4f86" : "#222";
      g.fillText(shownChar(item.char), at, middle + 0.5);
      if (item.kind === "insertion") {
        // Missed: the ground truth's character, outlined.
        g.strokeStyle = "#1f4f86";
        g.strokeRect(at - 5.5, top + 2.5, 11, ROW_PX - 5);
      }
    }
  });
}
