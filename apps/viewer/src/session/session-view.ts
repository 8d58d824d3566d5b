/**
 * The session view: a toolbar (title, zoom and gain buttons, range readout) over the prompts,
 * the ground truth, the time axis with keystrokes, the 32 channels and the chosen channel's
 * spectrogram, all on one time axis. It owns the visible range (`context.range`): input changes
 * it, a draw follows on the next animation frame (or at once for the test hooks' `pan`).
 */
import type { AppContext, OpenSession, ViewRange } from "../app-context.js";
import { ChannelCanvas } from "./channel-canvas.js";
import type { Frame } from "./frame.js";
import { GroundTruthTrack, groundTruthPieces } from "./ground-truth.js";
import { PromptTrack, promptSpans } from "./prompts.js";
import { RangeReadout } from "./range-readout.js";
import { type LoadedSession, SessionLoad } from "./session-loader.js";
import { SpectrogramTrack } from "./spectrogram.js";
import { keyMarks, TimeAxis } from "./time-axis.js";
import { clampRange, panRange, sameRange, zoomRange } from "./view-range.js";
import { attachZoomPan, ZOOM_STEP } from "./zoom-pan-input.js";

/** The range shown when a session opens: its first 10 seconds. */
export const INITIAL_SPAN = 20_000;
/** The spectrogram is recomputed once the range has been still this long, ms. */
const SPECTROGRAM_DELAY_MS = 120;
/** Longest stretch of background reading between two turns of the browser, ms. */
const READ_SLICE_MS = 6;
/** A view redrawn this recently is being panned or zoomed: background reading waits… */
const BUSY_MS = 40;
/** …but reads a slice at least this often. */
const BUSY_READ_EVERY_MS = 150;
const GAIN_STEP = 1.5;

export class SessionView {
  readonly element: HTMLDivElement;
  private readonly title: HTMLSpanElement;
  private readonly tracks: HTMLDivElement;
  private readonly empty: HTMLDivElement;
  private readonly channels: ChannelCanvas;
  private readonly axis = new TimeAxis();
  private readonly prompts = new PromptTrack();
  private readonly truth = new GroundTruthTrack();
  private readonly spectrogram = new SpectrogramTrack();
  private readonly readout = new RangeReadout();
  private loaded: LoadedSession | null = null;
  private range: ViewRange = { start: 0, end: 0 };
  private frame: Frame | null = null;
  private pending = false;
  private spectrogramTimer: ReturnType<typeof setTimeout> | undefined;
  /** The background read in progress, if any. */
  private reading: { cancelled: boolean } | null = null;
  /** Draws so far (for measurements). */
  draws = 0;
  private lastDrawAt = 0;

  constructor(private readonly context: AppContext) {
    this.element = document.createElement("div");
    this.element.className = "session-view";
    const toolbar = document.createElement("div");
    toolbar.className = "session-toolbar";
    this.title = document.createElement("span");
    this.title.className = "session-title";
    this.title.dataset.testid = "session-title";
    const buttons = document.createElement("span");
    buttons.className = "session-buttons";
    buttons.append(
      button("◀", "pan left (←)", () => this.panBy(-0.25 * this.span())),
      button("▶", "pan right (→)", () => this.panBy(0.25 * this.span())),
      button("−", "zoom out (−, wheel)", () => this.zoomBy(ZOOM_STEP), "zoom-out"),
      button("+", "zoom in (+, wheel)", () => this.zoomBy(1 / ZOOM_STEP), "zoom-in"),
      button("all", "whole session (0)", () => this.show(0, this.loaded?.length ?? 0), "zoom-all"),
      button("A−", "smaller traces", () => this.setGain(this.channels.gain / GAIN_STEP)),
      button("A+", "larger traces", () => this.setGain(this.channels.gain * GAIN_STEP)),
    );
    toolbar.append(this.title, buttons, this.readout.element);

    this.channels = new ChannelCanvas((channel) => this.chooseChannel(channel));
    this.tracks = document.createElement("div");
    this.tracks.className = "session-tracks";
    this.tracks.tabIndex = 0;
    this.tracks.title =
      "wheel: zoom · Shift+wheel or drag: pan · ← →: pan · + −: zoom · 0: whole session · click a channel name: its spectrogram";
    this.tracks.append(
      this.prompts.element,
      this.truth.element,
      this.axis.element,
      this.channels.element,
      this.spectrogram.element,
    );
    this.empty = document.createElement("div");
    this.empty.className = "session-empty";
    this.empty.textContent =
      "No session open. Drop an .hdf5 file anywhere on the page, use “Open file”, or pick a session in the sidebar.";
    this.element.append(toolbar, this.empty, this.tracks);
    this.showEmpty(true);

    attachZoomPan(this.tracks, {
      current: () => (this.loaded === null ? null : this.range),
      width: () => this.tracks.clientWidth,
      zoomBy: (factor, anchor) => this.zoomBy(factor, anchor),
      panBy: (samples) => this.panBy(samples),
      show: (start, end) => this.show(start, end),
      length: () => this.loaded?.length ?? 0,
    });
    new ResizeObserver(() => this.requestDraw()).observe(this.tracks);
    context.range.subscribe((range) => {
      if (this.loaded === null || range === this.range || sameRange(range, this.range)) return;
      this.range = clampRange(range.start, range.end, this.loaded.length);
      this.requestDraw();
    });
  }

  /** Counters for measurements: draws so far, the last spectrogram's time, blocks read. */
  stats(): { draws: number; spectrogramMs: number; blockReads: number } {
    return {
      draws: this.draws,
      spectrogramMs: this.spectrogram.computeMs,
      blockReads: this.loaded?.cache.reads ?? 0,
    };
  }

  /** The open session's data, or null. */
  get session(): LoadedSession | null {
    return this.loaded;
  }

  /**
   * Shows a session: reads each channel's scale and its first window, and draws its first
   * seconds completely before returning. The rest is read in the background, in slices that
   * leave the page responsive; `whenRead` settles once it has been (or the view moved on to
   * another session). The caller sets `context.session`.
   */
  open(
    open: OpenSession,
    onProgress: (fraction: number) => void = () => {},
  ): { loaded: LoadedSession; whenRead: Promise<void> } {
    this.clear();
    const load = new SessionLoad(open);
    const loaded = load.data;
    this.loaded = loaded;
    this.placeAnnotations(loaded);
    const { session } = loaded;
    const { metadata } = session;
    this.title.textContent = `${open.name} · user ${metadata.user} · ${metadata.condition} · ${(
      loaded.length / 2000 / 60
    ).toFixed(1)} min · ${session.keystrokes.length} keystrokes`;
    this.title.title = metadata.sessionName;
    this.showEmpty(false);
    this.range = clampRange(0, INITIAL_SPAN, loaded.length);
    this.context.range.set(this.range);
    this.drawNow(true);
    return { loaded, whenRead: this.readInBackground(load, onProgress) };
  }

  /** Forgets the session (the caller closes it) and stops reading it. */
  clear(): void {
    if (this.reading !== null) this.reading.cancelled = true;
    this.reading = null;
    this.loaded = null;
    this.frame = null;
    this.axis.setMarks(null);
    this.prompts.setPrompts(null);
    this.truth.setPieces(null);
    this.spectrogram.reset();
    this.title.textContent = "";
    this.showEmpty(true);
  }

  /** Keystrokes, prompts and ground truth at their samples (as far as the times are known). */
  private placeAnnotations(loaded: LoadedSession): void {
    const { session, times } = loaded;
    this.axis.setMarks(keyMarks(session.keystrokes, times));
    this.prompts.setPrompts(promptSpans(session.prompts, times));
    this.truth.setPieces(groundTruthPieces(session, times));
  }

  /** Reads the rest of the session a slice at a time, redrawing views that show unread parts. */
  private readInBackground(
    load: SessionLoad,
    onProgress: (fraction: number) => void,
  ): Promise<void> {
    const token = { cancelled: false };
    this.reading = token;
    const data = load.data;
    let lastSlice = performance.now();
    return new Promise<void>((resolve, reject) => {
      const slice = () => {
        if (token.cancelled) return resolve();
        // Panning and zooming come first: while they redraw, read only now and then.
        const now = performance.now();
        if (now - this.lastDrawAt < BUSY_MS && now - lastSlice < BUSY_READ_EVERY_MS) {
          setTimeout(slice, BUSY_MS);
          return;
        }
        lastSlice = now;
        const before = data.read;
        try {
          load.step(READ_SLICE_MS);
        } catch (error) {
          this.reading = null;
          return reject(error);
        }
        onProgress(data.length === 0 ? 1 : data.read / data.length);
        if (load.done) {
          this.reading = null;
          // The times are all known now: put the annotations exactly where they belong, and
          // draw them at once (placing empties their tracks).
          this.placeAnnotations(data);
          this.drawNow(false);
          return resolve();
        }
        if (this.range.end > before) this.requestDraw();
        setTimeout(slice, 0);
      };
      setTimeout(slice, 0);
    });
  }

  /** Moves the range by `samples` and redraws at once (the test hooks time this). */
  pan(samples: number): void {
    if (this.loaded === null) return;
    this.setRange(panRange(this.range, samples, this.loaded.length), false);
    this.drawNow(false);
  }

  panBy(samples: number): void {
    if (this.loaded === null) return;
    this.setRange(panRange(this.range, samples, this.loaded.length));
  }

  zoomBy(factor: number, anchor?: number): void {
    if (this.loaded === null) return;
    this.setRange(zoomRange(this.range, factor, this.loaded.length, anchor));
  }

  show(start: number, end: number): void {
    if (this.loaded === null) return;
    this.setRange(clampRange(start, end, this.loaded.length));
  }

  chooseChannel(channel: number): void {
    this.channels.choose(channel);
    this.spectrogram.setChannel(channel);
    this.requestDraw();
  }

  /** Redraws on the next animation frame (once, however often it is asked). */
  requestDraw(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(this.onAnimationFrame);
  }

  private readonly onAnimationFrame = (): void => {
    this.pending = false;
    this.drawNow(false);
  };

  /**
   * Draws every layer for the current range. The spectrogram is computed now when `complete`,
   * else scheduled for when the range has been still a moment.
   */
  drawNow(complete: boolean): void {
    const loaded = this.loaded;
    const width = this.tracks.clientWidth;
    if (loaded === null || width === 0) return;
    const frame = this.frame ?? { loaded, range: this.range, width, dpr: 1 };
    frame.loaded = loaded;
    frame.range = this.range;
    frame.width = width;
    frame.dpr = window.devicePixelRatio || 1;
    this.frame = frame;
    this.channels.draw(frame);
    this.axis.draw(frame);
    this.prompts.draw(frame);
    this.truth.draw(frame);
    if (complete && !this.spectrogram.isCurrent(frame)) this.spectrogram.compute(frame);
    this.spectrogram.draw(frame);
    if (!this.spectrogram.isCurrent(frame)) this.scheduleSpectrogram();
    this.readout.draw(frame);
    this.draws += 1;
    this.lastDrawAt = performance.now();
  }

  private scheduleSpectrogram(): void {
    clearTimeout(this.spectrogramTimer);
    this.spectrogramTimer = setTimeout(() => {
      const frame = this.frame;
      if (frame === null || this.loaded === null) return;
      frame.range = this.range;
      this.spectrogram.compute(frame);
      this.spectrogram.draw(frame);
    }, SPECTROGRAM_DELAY_MS);
  }

  private setRange(range: ViewRange, redraw = true): void {
    if (sameRange(range, this.range)) return;
    this.range = range;
    this.context.range.set(range);
    if (redraw) this.requestDraw();
  }

  private setGain(gain: number): void {
    this.channels.gain = Math.min(64, Math.max(1 / 64, gain));
    this.requestDraw();
  }

  private span(): number {
    return this.range.end - this.range.start;
  }

  private showEmpty(empty: boolean): void {
    this.empty.hidden = !empty;
    this.tracks.hidden = empty;
  }
}

function button(
  text: string,
  title: string,
  onClick: () => void,
  testid?: string,
): HTMLButtonElement {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = text;
  element.title = title;
  if (testid !== undefined) element.dataset.testid = testid;
  element.addEventListener("click", onClick);
  return element;
}
