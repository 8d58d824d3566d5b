/**
 * The 32 EMG channels on one canvas, one row and one path per channel, with clickable channel
 * names in the gutter (`data-testid="channel-label"`; a click chooses the spectrogram's channel).
 *
 * What is drawn depends on samples per pixel (spp):
 * - spp < 1: every sample, joined by lines;
 * - 1 <= spp < 64: each pixel column's min/max over the samples (read through the cache);
 * - spp >= 64: the same from the coarsest pyramid level whose buckets fit in a pixel.
 * Buffers are reused; a draw allocates nothing but the canvas path.
 */
import { GUTTER_PX } from "../app-context.js";
import { Envelope } from "./envelope.js";
import { type Frame, fitCanvas, plotWidth } from "./frame.js";
import { CHANNELS } from "./session-loader.js";

/** Height of one channel's row, CSS pixels. */
export const ROW_PX = 18;
/** Gap between the left and the right band's rows. */
export const BAND_GAP_PX = 10;
/** Channels per band. */
const PER_BAND = CHANNELS / 2;
const BAND_COLORS = ["#1f6fb2", "#b2451f"] as const;

/** Top of channel `c`'s row, CSS pixels. */
export function rowTop(channel: number): number {
  return channel * ROW_PX + (channel >= PER_BAND ? BAND_GAP_PX : 0);
}

/** The name of channel `c`: L0…L15 for the left band, R0…R15 for the right. */
export function channelName(channel: number): string {
  return `${channel < PER_BAND ? "L" : "R"}${channel % PER_BAND}`;
}

export class ChannelCanvas {
  readonly element: HTMLDivElement;
  readonly height = CHANNELS * ROW_PX + BAND_GAP_PX;
  private readonly canvas: HTMLCanvasElement;
  private readonly labels: HTMLButtonElement[] = [];
  private readonly envelope = new Envelope(CHANNELS);
  private readonly row = new RowScale();
  /** Vertical scale on top of each channel's own amplitude. */
  gain = 1;
  private chosen = 0;

  constructor(onChoose: (channel: number) => void) {
    this.element = document.createElement("div");
    this.element.className = "channels-track";
    this.element.style.height = `${this.height}px`;
    this.canvas = document.createElement("canvas");
    this.canvas.className = "channels-canvas";
    this.canvas.setAttribute("aria-label", "EMG channels");
    this.element.append(this.canvas);
    for (let c = 0; c < CHANNELS; c++) {
      const label = document.createElement("button");
      label.type = "button";
      label.className = `channel-label band-${c < PER_BAND ? "left" : "right"}`;
      label.dataset.testid = "channel-label";
      label.dataset.channel = String(c);
      label.textContent = channelName(c);
      label.title = `${c < PER_BAND ? "left" : "right"} band, electrode ${c % PER_BAND}: click to show its spectrogram`;
      label.style.top = `${rowTop(c)}px`;
      label.style.height = `${ROW_PX}px`;
      label.addEventListener("click", () => onChoose(c));
      this.labels.push(label);
      this.element.append(label);
    }
    this.choose(0);
  }

  /** Marks channel `c` as the one whose spectrogram shows. */
  choose(channel: number): void {
    this.labels[this.chosen]?.classList.remove("chosen");
    this.chosen = channel;
    this.labels[channel]?.classList.add("chosen");
  }

  draw(frame: Frame): void {
    const { loaded, range, width, dpr } = frame;
    const context = fitCanvas(this.canvas, width, this.height, dpr);
    context.clearRect(0, 0, width, this.height);
    const columns = Math.floor(plotWidth(width));
    const span = range.end - range.start;
    if (span <= 0) return;
    const spp = span / plotWidth(width);

    // The chosen channel's row, and the line between the bands.
    context.fillStyle = "rgba(255, 200, 0, 0.12)";
    context.fillRect(GUTTER_PX, rowTop(this.chosen), width - GUTTER_PX, ROW_PX);
    context.fillStyle = "#e2e2e2";
    context.fillRect(GUTTER_PX, PER_BAND * ROW_PX + BAND_GAP_PX / 2 - 0.5, width - GUTTER_PX, 1);

    context.lineWidth = 1;
    context.lineJoin = "bevel";
    if (spp < 1) {
      context.save();
      context.beginPath();
      context.rect(GUTTER_PX, 0, width - GUTTER_PX, this.height);
      context.clip();
      this.drawSamples(context, frame, spp);
      context.restore();
      return;
    }
    const level = loaded.pyramid.levelFor(spp);
    if (level === null) this.envelope.fromSamples(loaded.cache, range, columns);
    else this.envelope.fromLevel(level, range, columns);
    const { min, max } = this.envelope;
    const row = this.row;
    for (let c = 0; c < CHANNELS; c++) {
      row.place(c, loaded, this.gain);
      const base = c * columns;
      context.beginPath();
      let open = false;
      for (let x = 0; x < columns; x++) {
        const lo = min[base + x] as number;
        const hi = max[base + x] as number;
        if (!(lo <= hi)) {
          open = false;
          continue;
        }
        const X = GUTTER_PX + x + 0.5;
        const yHi = row.y(hi);
        const yLo = row.y(lo);
        if (open) context.lineTo(X, yHi);
        else context.moveTo(X, yHi);
        // A flat column still gets a visible pixel.
        context.lineTo(X, yLo === yHi ? yLo + 0.5 : yLo);
        open = true;
      }
      context.strokeStyle = BAND_COLORS[c < PER_BAND ? 0 : 1];
      context.stroke();
    }
  }

  /** Every sample of the range (fewer samples than pixels), joined by lines. */
  private drawSamples(context: CanvasRenderingContext2D, frame: Frame, spp: number): void {
    const { loaded, range } = frame;
    const cache = loaded.cache;
    const first = Math.max(0, Math.floor(range.start));
    const last = Math.min(loaded.length - 1, Math.ceil(range.end));
    const pxPerSample = 1 / spp;
    const row = this.row;
    for (let c = 0; c < CHANNELS; c++) {
      row.place(c, loaded, this.gain);
      context.beginPath();
      let open = false;
      for (let s = first; s <= last; s++) {
        const block = Math.floor(s / cache.blockSamples);
        const v = cache.block(block)[(s - block * cache.blockSamples) * CHANNELS + c] as number;
        if (!Number.isFinite(v)) {
          open = false;
          continue;
        }
        const X = GUTTER_PX + (s - range.start) * pxPerSample;
        const Y = row.y(v);
        if (open) context.lineTo(X, Y);
        else context.moveTo(X, Y);
        open = true;
      }
      context.strokeStyle = BAND_COLORS[c < PER_BAND ? 0 : 1];
      context.stroke();
    }
  }
}

/** One channel's row as drawn: a value -> y within the row, centred and scaled; reused row to row. */
class RowScale {
  private top = 0;
  private middle = 0;
  private center = 0;
  private scale = 0;

  /**
   * Moves to channel `channel`'s row: its values centred on the session's center for it, its
   * amplitude filling half the row at gain 1.
   */
  place(
    channel: number,
    scales: { centers: Float32Array; amplitudes: Float32Array },
    gain: number,
  ): void {
    this.top = rowTop(channel);
    this.middle = this.top + ROW_PX / 2;
    this.center = scales.centers[channel] as number;
    this.scale = (gain * (ROW_PX / 2)) / (scales.amplitudes[channel] as number);
  }

  /** The y of `value`, clamped to the row. */
  y(value: number): number {
    const y = this.middle - (value - this.center) * this.scale;
    return Math.min(this.top + ROW_PX, Math.max(this.top, y));
  }
}
