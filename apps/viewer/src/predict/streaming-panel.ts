/**
 * Streaming replay: the open session played at 1x, 2x or 4x on a requestAnimationFrame clock,
 * every 40 ms of session time fed to a causal model and greedily decoded, the text appearing as
 * it is decoded, with the measured latency (a chunk due -> its text shown) and real-time factor.
 */
import type { Session } from "@emgkit/emg-io";
import type { AppContext } from "../app-context.js";
import { el, injectStyles } from "./dom.js";
import { currentModel, type LoadedModel } from "./model-store.js";
import {
  CHUNK_SAMPLES,
  LatencyStats,
  ReplayClock,
  SAMPLE_RATE,
  StreamingDecoder,
  streamingRefusal,
} from "./streaming.js";

/** Samples read from the session at a time (chunks are cut from them). */
const READ_SAMPLES = 2000;
/** Longest a frame may spend catching up before it lets the page paint, ms. */
const FRAME_BUDGET_MS = 30;
const SPEEDS = [1, 2, 4] as const;
/** Most 40 ms chunks fed in one model call when several are due at once (1 s). */
const MAX_CHUNKS_PER_CALL = 25;

/** What the replay measured so far (read by the browser measurements). */
export interface StreamReport {
  speed: number;
  chunks: number;
  sessionSeconds: number;
  computeMs: number;
  realTimeFactor: number;
  latencyMeanMs: number;
  latencyP95Ms: number;
  latencyMaxMs: number;
  algorithmicDelayMs: number;
  text: string;
}

const fmtClock = (samples: number) => {
  const seconds = samples / SAMPLE_RATE;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${(seconds - minutes * 60).toFixed(1).padStart(4, "0")}`;
};

export class StreamingPanel {
  readonly element: HTMLDivElement;
  private readonly message = el("span", { className: "predict-muted", testid: "stream-message" });
  private readonly playButton = el("button", { text: "▶ Play", testid: "stream-play" });
  private readonly stopButton = el("button", { text: "■ Stop", testid: "stream-stop" });
  private readonly speedButtons = SPEEDS.map((speed) => el("button", { text: `${speed}x` }));
  private readonly fromSelect = el("select");
  private readonly follow = el("input");
  private readonly clockLabel = el("span", { testid: "stream-clock" });
  private readonly text = el("div", { className: "stream-text", testid: "stream-text" });
  private readonly truth = el("div", { className: "stream-text stream-truth" });
  private readonly metrics = el("div", { className: "stream-metrics", testid: "stream-metrics" });
  private speed: number = SPEEDS[0];
  private decoder: StreamingDecoder | null = null;
  private clock: ReplayClock | null = null;
  private session: Session | null = null;
  private end = 0;
  /** Next sample to feed. */
  private next = 0;
  private readonly latency = new LatencyStats();
  private computeMs = 0;
  private fedSamples = 0;
  private chunks = 0;
  private shownText = "";
  private truthText: { text: string[]; times: Float64Array } | null = null;
  private truthShown = 0;
  private buffer: { start: number; end: number; emg: Float32Array; time: Float64Array } | null =
    null;
  private frame = 0;
  private lastMetrics = 0;
  private lastFollow = 0;

  constructor(private readonly context: AppContext) {
    injectStyles();
    this.element = el("div", { className: "predict-box", testid: "streaming" });
    this.fromSelect.append(
      new Option("from the view's start", "view"),
      new Option("from the start", "start"),
    );
    this.follow.type = "checkbox";
    this.speedButtons.forEach((button, i) => {
      button.addEventListener("click", () => this.setSpeed(SPEEDS[i] as number));
    });
    const speedGroup = el("span", { className: "stream-speed" }, ...this.speedButtons);
    this.playButton.addEventListener("click", () => this.togglePlay());
    this.stopButton.addEventListener("click", () => this.stop());
    this.element.append(
      el(
        "div",
        { className: "predict-bar" },
        el("span", { className: "predict-title", text: "Streaming" }),
        this.playButton,
        this.stopButton,
        speedGroup,
        this.fromSelect,
        el(
          "label",
          { title: "move the session view along with the replay" },
          this.follow,
          " follow",
        ),
        this.clockLabel,
        this.message,
      ),
      el("div", { className: "stream-row-label", text: "decoded as it streams (greedy)" }),
      this.text,
      el("div", { className: "stream-row-label", text: "ground truth typed so far" }),
      this.truth,
      this.metrics,
    );
    this.setSpeed(1);
    currentModel.subscribe((loaded) => this.onModel(loaded));
    context.session.subscribe(() => this.stop());
    this.onModel(currentModel.get());
  }

  private onModel(loaded: LoadedModel | null): void {
    this.stop();
    const refusal = loaded === null ? null : streamingRefusal(loaded.model);
    const usable = loaded !== null && refusal === null;
    this.playButton.disabled = !usable;
    this.stopButton.disabled = !usable;
    if (loaded === null) this.message.textContent = "Load a model in the panel above.";
    else if (refusal !== null) this.message.textContent = refusal;
    else this.message.textContent = `${loaded.model.kind} (${loaded.mode.kind})`;
    this.message.className = refusal === null ? "predict-muted" : "predict-error";
  }

  private setSpeed(speed: number): void {
    this.speed = speed;
    this.clock?.setSpeed(speed, performance.now());
    this.speedButtons.forEach((button, i) => {
      button.classList.toggle("active", SPEEDS[i] === speed);
    });
  }

  private togglePlay(): void {
    if (this.clock?.running) {
      this.clock.pause(performance.now());
      this.playButton.textContent = "▶ Play";
      cancelAnimationFrame(this.frame);
      this.renderMetrics();
      return;
    }
    if (this.clock === null && !this.start()) return;
    this.clock?.play(performance.now());
    this.playButton.textContent = "❚❚ Pause";
    this.frame = requestAnimationFrame(this.tick);
  }

  /** Sets up a replay from the chosen start; false (with a message) when it cannot. */
  private start(): boolean {
    const loaded = currentModel.get();
    const open = this.context.session.get();
    if (loaded === null || open === null) {
      this.message.textContent = open === null ? "Open a session first." : "Load a model first.";
      return false;
    }
    try {
      this.decoder = new StreamingDecoder(loaded.model, loaded.spec);
    } catch (error) {
      this.message.textContent = (error as Error).message;
      this.message.className = "predict-error";
      return false;
    }
    this.session = open.session;
    this.end = open.session.length;
    const from = this.fromSelect.value === "view" ? Math.floor(this.context.range.get().start) : 0;
    this.next = Math.max(0, Math.min(from, this.end));
    this.clock = new ReplayClock(this.next, this.speed);
    this.latency.clear();
    this.computeMs = 0;
    this.fedSamples = 0;
    this.chunks = 0;
    this.shownText = "";
    this.text.textContent = "";
    this.truth.textContent = "";
    const truth = open.session.groundTruth();
    const startTime = open.session.read(this.next, Math.min(this.end, this.next + 1)).time[0] ?? 0;
    this.truthText = { text: [...truth.text], times: truth.timestamps ?? new Float64Array(0) };
    this.truthShown = 0;
    while (
      this.truthShown < this.truthText.times.length &&
      (this.truthText.times[this.truthShown] as number) < startTime
    ) {
      this.truthShown++;
    }
    this.truthStart = this.truthShown;
    this.message.textContent = `${loaded.model.kind} (${loaded.mode.kind}) · algorithmic delay ${this.decoder.algorithmicDelayMs.toFixed(0)} ms`;
    this.message.className = "predict-muted";
    return true;
  }

  private truthStart = 0;

  stop(): void {
    cancelAnimationFrame(this.frame);
    if (this.clock !== null) this.renderMetrics();
    this.decoder?.dispose();
    this.decoder = null;
    this.clock = null;
    this.buffer = null;
    this.playButton.textContent = "▶ Play";
  }

  private readonly tick = (): void => {
    const clock = this.clock;
    const decoder = this.decoder;
    const session = this.session;
    if (clock === null || decoder === null || session === null || !clock.running) return;
    const started = performance.now();
    const target = Math.min(this.end, clock.sampleAt(started));
    while (this.next + CHUNK_SAMPLES <= target) {
      // Every chunk due by now goes in at once (as a device would hand over what has arrived):
      // one model call for several chunks when the page fell behind, not one each.
      const count = Math.min(MAX_CHUNKS_PER_CALL, Math.floor((target - this.next) / CHUNK_SAMPLES));
      const chunkEnd = this.next + count * CHUNK_SAMPLES;
      const { emg, lastTime } = this.read(session, this.next, chunkEnd);
      const step = decoder.feed(emg);
      if (step.changed) this.showText(step.text);
      this.showTruthUntil(lastTime);
      const shown = performance.now();
      for (let k = 1; k <= count; k++) {
        const due = clock.wallTimeOf(this.next + k * CHUNK_SAMPLES - clock.startSample);
        this.latency.add(shown - due);
      }
      this.computeMs += step.computeMs;
      this.fedSamples += count * CHUNK_SAMPLES;
      this.chunks += count;
      this.next = chunkEnd;
      if (performance.now() - started > FRAME_BUDGET_MS) break;
    }
    this.clockLabel.textContent = `${fmtClock(Math.min(target, this.end))} / ${fmtClock(this.end)}`;
    if (this.follow.checked && started - this.lastFollow > 200) {
      this.lastFollow = started;
      const range = this.context.range.get();
      const span = range.end - range.start;
      const start = Math.max(0, Math.min(this.end - span, target - 0.8 * span));
      this.context.range.set({ start, end: start + span });
    }
    if (started - this.lastMetrics > 250) this.renderMetrics();
    if (this.next + CHUNK_SAMPLES > this.end) {
      clock.pause(performance.now());
      this.playButton.textContent = "▶ Play";
      this.renderMetrics();
      this.message.textContent = "End of the session.";
      return;
    }
    this.frame = requestAnimationFrame(this.tick);
  };

  /** Samples [start, end) from a read-ahead buffer of the session. */
  private read(
    session: Session,
    start: number,
    end: number,
  ): { emg: Float32Array; lastTime: number } {
    let buffer = this.buffer;
    if (buffer === null || start < buffer.start || end > buffer.end) {
      const stop = Math.min(this.end, start + Math.max(READ_SAMPLES, end - start));
      const window = session.read(start, stop);
      buffer = { start, end: stop, emg: window.emg, time: window.time };
      this.buffer = buffer;
    }
    return {
      emg: buffer.emg.subarray((start - buffer.start) * 32, (end - buffer.start) * 32),
      lastTime: buffer.time[end - 1 - buffer.start] as number,
    };
  }

  private showText(text: string): void {
    // Greedy decoding only appends: the new characters are what follows the text shown.
    const fresh = text.startsWith(this.shownText) ? text.slice(this.shownText.length) : text;
    const old = text.startsWith(this.shownText) ? this.shownText : "";
    this.shownText = text;
    const mark = el("span", { className: "fresh", text: fresh });
    this.text.replaceChildren(old, mark);
    this.text.scrollTop = this.text.scrollHeight;
  }

  private showTruthUntil(time: number): void {
    const truth = this.truthText;
    if (truth === null) return;
    let shown = this.truthShown;
    while (shown < truth.times.length && (truth.times[shown] as number) <= time) shown++;
    if (shown === this.truthShown) return;
    this.truthShown = shown;
    this.truth.textContent = truth.text.slice(this.truthStart, shown).join("");
    this.truth.scrollTop = this.truth.scrollHeight;
  }

  /** What the replay measured. */
  report(): StreamReport | null {
    if (this.decoder === null && this.chunks === 0) return null;
    const sessionSeconds = this.fedSamples / SAMPLE_RATE;
    return {
      speed: this.speed,
      chunks: this.chunks,
      sessionSeconds,
      computeMs: this.computeMs,
      realTimeFactor: sessionSeconds > 0 ? this.computeMs / 1000 / sessionSeconds : Number.NaN,
      latencyMeanMs: this.latency.mean,
      latencyP95Ms: this.latency.percentile(95),
      latencyMaxMs: this.latency.max,
      algorithmicDelayMs: this.decoder?.algorithmicDelayMs ?? Number.NaN,
      text: this.shownText,
    };
  }

  private renderMetrics(): void {
    this.lastMetrics = performance.now();
    const report = this.report();
    if (report === null || report.chunks === 0) {
      this.metrics.replaceChildren();
      return;
    }
    const item = (label: string, value: string, title = "") =>
      el("span", { title }, `${label} `, el("b", { text: value }));
    this.metrics.replaceChildren(
      item(
        "latency",
        `${this.latency.last.toFixed(1)} ms`,
        "wall time from a 40 ms chunk being due (its last sample played) to its text shown",
      ),
      item("mean", `${report.latencyMeanMs.toFixed(1)} ms`),
      item("p95", `${report.latencyP95Ms.toFixed(1)} ms`),
      item("max", `${report.latencyMaxMs.toFixed(1)} ms`),
      item(
        "real-time factor",
        report.realTimeFactor.toFixed(3),
        "compute time / session time streamed (below 1: faster than real time)",
      ),
      item(
        "algorithmic delay",
        `${report.algorithmicDelayMs.toFixed(0)} ms`,
        "EMG after a key's frame the model needs before it can emit it (window, resampling, look-ahead)",
      ),
      item("streamed", `${report.sessionSeconds.toFixed(1)} s in ${report.chunks} chunks`),
    );
    if (this.decoder !== null && !this.decoder.engine.exact) {
      this.metrics.append(
        el("span", {
          className: "predict-muted",
          text: "history limited to the last 4 s (approximate beyond)",
        }),
      );
    }
  }
}
