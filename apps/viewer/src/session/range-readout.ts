/**
 * The visible range in words: from and to (seconds from the session's first sample), how long,
 * and how it is drawn (samples per pixel; from the samples or which pyramid level).
 */
import { type Frame, formatSeconds, plotWidth } from "./frame.js";

export class RangeReadout {
  readonly element: HTMLSpanElement;
  private last = "";

  constructor() {
    this.element = document.createElement("span");
    this.element.className = "range-readout";
    this.element.dataset.testid = "range-readout";
  }

  draw(frame: Frame): void {
    const { loaded, range, width } = frame;
    const times = loaded.times;
    const t0 = times.startTime;
    const from = times.timeAt(range.start) - t0;
    const to = times.timeAt(Math.max(range.start, range.end - 1)) - t0;
    const total = times.endTime - t0;
    const spp = (range.end - range.start) / plotWidth(width);
    const level = loaded.pyramid.levelFor(spp);
    const source = level === null ? "samples" : `1:${level.factor} min/max`;
    const text =
      `${formatSeconds(from, 0.01)} – ${formatSeconds(to, 0.01)} of ${formatSeconds(total, 0.01)}` +
      ` · ${range.end - range.start} samples · ${spp < 1 ? `${(1 / spp).toFixed(1)} px/sample` : `${spp.toFixed(1)} samples/px`} (${source})`;
    if (text !== this.last) {
      this.element.textContent = text;
      this.last = text;
    }
  }
}
