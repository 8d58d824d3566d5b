/**
 * Streaming replay: a session fed to a causal model in small chunks, as a wristband would send
 * it, with the text greedily decoded as it appears; and the latency statistics the panel shows.
 * No DOM.
 */
import { CTCGreedyDecoder } from "@emgkit/ctc";
import type { EmgModel } from "@emgkit/models";
import { EmissionEngine, isCausal, type StreamMode, streamMode } from "@emgkit/models";
import { StreamingFeatures } from "./features.js";
import type { InputSpec } from "./run-config.js";

/** Raw samples per streamed chunk: 40 ms at 2 kHz. */
export const CHUNK_SAMPLES = 80;
export const SAMPLE_RATE = 2000;
/**
 * Frames of history a causal transformer recomputes over on each push while streaming (4 s);
 * beyond it the oldest frames drop out and its emissions are no longer the whole-session ones.
 */
export const STREAM_HISTORY_FRAMES = 512;

/** Null when `model` can stream; else the one-line reason it cannot. */
export function streamingRefusal(model: EmgModel): string | null {
  const mode = streamMode(model);
  if (isCausal(mode)) return null;
  const what =
    model.kind === "transformer"
      ? "a non-causal transformer (causal: false)"
      : model.kind === "lstm" || model.kind === "gru"
        ? `a bidirectional ${model.kind.toUpperCase()}`
        : `a ${model.kind} model with a bidirectional part`;
  return `This is ${what}: it needs future EMG, so it cannot decode as the text is typed.`;
}

/** What one fed chunk gave. */
export interface StreamStep {
  /** Emissions the chunk completed. */
  emissions: number;
  /** Whole decoding so far (charset text) and its onsets in emission indices. */
  text: string;
  onsets: ArrayLike<number>;
  /** Whether the text changed with this chunk. */
  changed: boolean;
  /** Milliseconds in features, model and decoding. */
  computeMs: number;
}

/**
 * One streaming decode: `feed` raw `(t, 2, 16)` chunks in order; the model's emissions and the
 * greedy text so far come back each time. Emissions equal `model.forward` over everything fed
 * (for every causal mode; a causal transformer's only while its history is within bounds).
 */
export class StreamingDecoder {
  readonly mode: StreamMode;
  readonly features: StreamingFeatures;
  readonly engine: EmissionEngine;
  private readonly decoder = new CTCGreedyDecoder();
  private text = "";
  private onsets: ArrayLike<number> = [];
  /** Every emission so far when `keepEmissions` is set (tests compare them with a batch pass). */
  readonly emissions: Float32Array[] = [];

  constructor(
    readonly model: EmgModel,
    spec: InputSpec,
    private readonly keepEmissions = false,
  ) {
    const refusal = streamingRefusal(model);
    if (refusal !== null) throw new Error(refusal);
    this.mode = streamMode(model);
    this.features = new StreamingFeatures(spec.transforms);
    this.engine = new EmissionEngine(model, this.features.geometry, {
      historyFrames: STREAM_HISTORY_FRAMES,
    });
  }

  feed(emg: Float32Array): StreamStep {
    const t0 = performance.now();
    const inputs = this.features.push(emg);
    const emissions = this.engine.push(inputs);
    const count = emissions.length / this.engine.classes;
    let changed = false;
    if (count > 0) {
      if (this.keepEmissions) this.emissions.push(emissions);
      const first = this.engine.emitted - count;
      const decoded = this.decoder.decode(
        emissions,
        Float64Array.from({ length: count }, (_, i) => first + i),
      );
      changed = decoded.text !== this.text;
      this.text = decoded.text;
      this.onsets = decoded.timestamps ?? [];
    }
    return {
      emissions: count,
      text: this.text,
      onsets: this.onsets,
      changed,
      computeMs: performance.now() - t0,
    };
  }

  /**
   * Milliseconds from a key's moment (the centre of the frame an emission is placed at) to the
   * last raw sample that emission needs: half a spectrogram window, the decimation filter's delay
   * and, for valid convolutions, the half receptive field the output looks ahead.
   */
  get algorithmicDelayMs(): number {
    const { geometry } = this.features;
    const halfWindow = (geometry.window - geometry.factor) / 2;
    const ahead = this.mode.kind === "valid" ? ((this.mode.field - 1) / 2) * geometry.hop : 0;
    return ((halfWindow + this.features.lookahead + ahead) / SAMPLE_RATE) * 1000;
  }

  reset(): void {
    this.features.reset();
    this.engine.reset();
    this.decoder.reset();
    this.text = "";
    this.onsets = [];
    this.emissions.length = 0;
  }

  dispose(): void {
    this.engine.dispose();
  }
}

/** Running latency figures: last, mean, 95th percentile and maximum of the samples added. */
export class LatencyStats {
  private readonly values: number[] = [];

  add(ms: number): void {
    this.values.push(ms);
  }

  get count(): number {
    return this.values.length;
  }

  get last(): number {
    return this.values.at(-1) ?? Number.NaN;
  }

  get mean(): number {
    if (this.values.length === 0) return Number.NaN;
    return this.values.reduce((a, b) => a + b, 0) / this.values.length;
  }

  /** Nearest-rank percentile (p in 0..100). */
  percentile(p: number): number {
    if (this.values.length === 0) return Number.NaN;
    const sorted = [...this.values].sort((a, b) => a - b);
    const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
    return sorted[rank - 1] as number;
  }

  get max(): number {
    return this.values.length === 0 ? Number.NaN : Math.max(...this.values);
  }

  clear(): void {
    this.values.length = 0;
  }
}

/**
 * The replay clock: session samples that are due at a wall time, at a speed, with pauses. Chunk k
 * (samples `start + k·CHUNK_SAMPLES` .. + CHUNK_SAMPLES) is due when the clock passes its end.
 */
export class ReplayClock {
  /** Session samples played before the current run of the clock. */
  private playedSamples = 0;
  private runningSince: number | null = null;

  constructor(
    readonly startSample: number,
    public speed = 1,
  ) {}

  get running(): boolean {
    return this.runningSince !== null;
  }

  play(wallMs: number): void {
    if (this.runningSince === null) this.runningSince = wallMs;
  }

  pause(wallMs: number): void {
    this.playedSamples = this.playedAt(wallMs);
    this.runningSince = null;
  }

  setSpeed(speed: number, wallMs: number): void {
    if (this.runningSince !== null) {
      this.playedSamples = this.playedAt(wallMs);
      this.runningSince = wallMs;
    }
    this.speed = speed;
  }

  /** Session samples played by `wallMs` (fractional). */
  playedAt(wallMs: number): number {
    if (this.runningSince === null) return this.playedSamples;
    return this.playedSamples + ((wallMs - this.runningSince) * this.speed * SAMPLE_RATE) / 1000;
  }

  /** The current session sample. */
  sampleAt(wallMs: number): number {
    return this.startSample + this.playedAt(wallMs);
  }

  /** Wall time at which `played` samples will have been played (the clock running on as now). */
  wallTimeOf(played: number): number {
    if (this.runningSince === null) return Number.NaN;
    return this.runningSince + ((played - this.playedSamples) * 1000) / (this.speed * SAMPLE_RATE);
  }
}
