/**
 * The time axis: ticks in seconds from the session's first sample, and the keystrokes as marks
 * at their press times. Every visible keystroke is a tick on the canvas; up to
 * `MAX_KEY_MARKS` of them are also DOM marks labelled with the key
 * (`data-testid="keystroke-mark"`, `data-key` the pynput key name).
 */
import { charset, type Keystroke } from "@emgkit/emg-io";
import { GUTTER_PX, sampleToX } from "../app-context.js";
import { ElementPool } from "./element-pool.js";
import { type Frame, fitCanvas, formatSeconds, lowerBound, plotWidth } from "./frame.js";
import type { TimeMap } from "./time-map.js";

/** Most keystroke marks in the DOM at once; with more visible, the canvas ticks remain. */
export const MAX_KEY_MARKS = 400;
/** Marks closer than this (CSS px, on average) show no text. */
const LABEL_SPACING_PX = 9;
const HEIGHT_PX = 44;

/** Keystrokes in time order, as fractional sample positions. */
export interface KeyMarks {
  press: Float64Array;
  release: Float64Array;
  keys: string[];
  labels: string[];
}

/** Short text for a key: the character it types (␣ for space), else its pynput name without `Key.`. */
export function keyLabel(key: string): string {
  if (key === "Key.space" || key === " ") return "␣";
  if (charset.hasKey(key)) return charset.keyToChar(key);
  return key.replace(/^Key\./, "").replace(/^'(.)'$/, "$1");
}

/** The keystrokes' positions in samples, sorted by press time. */
export function keyMarks(keystrokes: readonly Keystroke[], times: TimeMap): KeyMarks {
  const order = keystrokes
    .map((k, i) => ({ k, i }))
    .filter(({ k }) => Number.isFinite(k.start))
    .sort((a, b) => a.k.start - b.k.start || a.i - b.i)
    .map(({ k }) => k);
  return {
    press: Float64Array.from(order, (k) => times.sampleAt(k.start)),
    release: Float64Array.from(order, (k) =>
      times.sampleAt(Number.isFinite(k.end) ? k.end : k.start),
    ),
    keys: order.map((k) => String(k.key)),
    labels: order.map((k) => keyLabel(String(k.key))),
  };
}

/** A round tick step (1, 2 or 5 × 10^k seconds) at least `minPx` apart at `pxPerSecond`. */
export function tickStep(pxPerSecond: number, minPx = 80): number {
  const raw = minPx / Math.max(pxPerSecond, 1e-12);
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

export class TimeAxis {
  readonly element: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly marks: ElementPool<HTMLDivElement>;
  private data: KeyMarks | null = null;

  constructor() {
    this.element = document.createElement("div");
    this.element.className = "track axis-track";
    this.element.style.height = `${HEIGHT_PX}px`;
    const name = document.createElement("div");
    name.className = "track-name";
    name.textContent = "keys / time";
    this.canvas = document.createElement("canvas");
    const layer = document.createElement("div");
    layer.className = "marks-layer";
    this.element.append(this.canvas, name, layer);
    this.marks = new ElementPool(layer, () => {
      const mark = document.createElement("div");
      mark.className = "keystroke-mark";
      mark.dataset.testid = "keystroke-mark";
      return mark;
    });
  }

  setMarks(data: KeyMarks | null): void {
    this.data = data;
    this.marks.reset();
  }

  draw(frame: Frame): void {
    const { loaded, range, width, dpr } = frame;
    const context = fitCanvas(this.canvas, width, HEIGHT_PX, dpr);
    context.clearRect(0, 0, width, HEIGHT_PX);
    const times = loaded.times;
    const span = range.end - range.start;
    if (span <= 0) return;

    // Ticks, in seconds from the first sample.
    const t0 = times.startTime;
    const from = times.timeAt(range.start) - t0;
    const to = times.timeAt(range.end) - t0;
    const pxPerSecond = plotWidth(width) / Math.max(1e-9, to - from);
    const step = tickStep(pxPerSecond);
    context.fillStyle = "#666";
    context.font = "11px system-ui, sans-serif";
    context.textBaseline = "bottom";
    context.fillRect(GUTTER_PX, HEIGHT_PX - 14, width - GUTTER_PX, 1);
    for (let k = Math.ceil(from / step); k * step <= to; k++) {
      const x = sampleToX(times.sampleAt(t0 + k * step), range, width);
      if (x < GUTTER_PX) continue;
      context.fillRect(Math.round(x), HEIGHT_PX - 14, 1, 4);
      context.fillText(formatSeconds(k * step, step), Math.round(x) + 2, HEIGHT_PX);
    }

    const data = this.data;
    if (data === null) {
      this.marks.finish(0);
      return;
    }
    const first = lowerBound(data.press, range.start);
    const last = lowerBound(data.press, range.end);
    // Every visible keystroke as a tick from press to release.
    context.fillStyle = "rgba(60, 60, 60, 0.55)";
    for (let i = first; i < last; i++) {
      const x = sampleToX(data.press[i] as number, range, width);
      const x1 = sampleToX(data.release[i] as number, range, width);
      context.fillRect(Math.floor(x), 2, 1, HEIGHT_PX - 18);
      context.fillRect(Math.floor(x), HEIGHT_PX - 20, Math.max(1, x1 - x), 3);
    }
    const count = last - first;
    if (count > MAX_KEY_MARKS) {
      this.element.classList.add("dense");
      this.marks.finish(0);
      return;
    }
    this.element.classList.toggle("dense", count * LABEL_SPACING_PX > plotWidth(width));
    for (let i = first; i < last; i++) {
      const mark = this.marks.take(i - first, i, (element) => {
        element.textContent = data.labels[i] as string;
        element.dataset.key = data.keys[i] as string;
        element.title = `${data.keys[i]} at ${formatSeconds(times.timeAt(data.press[i] as number) - t0, 0.001)}`;
      });
      mark.style.transform = `translateX(${sampleToX(data.press[i] as number, range, width)}px)`;
    }
    this.marks.finish(count);
  }
}
