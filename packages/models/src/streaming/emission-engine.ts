/**
 * A model's emissions over a stream of input frames, chunk after chunk, with the least recompute
 * each kind of model allows: the last receptive field of frames for convolutions, the carried
 * state for unidirectional recurrent models, the history for a causal transformer, and windows
 * with context for the models that see the future (bidirectional). No DOM.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { EmgModel } from "../model.js";
import { type LayerStream, layerStream } from "./layer-stream.js";
import { isSteppableRecurrent, RecurrentState } from "./recurrent-state.js";

/** Spectrogram frames, `(frames, 2, electrodes, freqs)` row-major: a model's inputs over time. */
export interface InputFrames {
  data: Float32Array;
  frames: number;
  electrodes: number;
  freqs: number;
}

/** How a model is run over a stream. */
export type StreamMode =
  /** Valid convolutions (tds, cnn): output j sees input frames j .. j + field - 1. */
  | { kind: "valid"; field: number }
  /** Causal convolutions with left zero padding (tcn): output t sees frames t - field + 1 .. t. */
  | { kind: "causal-conv"; field: number }
  /** Unidirectional LSTM / GRU: state carried from step to step. */
  | { kind: "recurrent" }
  /** Causal transformer: every output sees all earlier frames (recomputed over the history). */
  | { kind: "causal-history"; stride: number }
  /** Sees the future (bidirectional recurrent, cnn-bilstm, non-causal transformer): windows. */
  | { kind: "bidirectional"; stride: number };

/** Emission u sits at input frame `u · stride + offset` (fractional: the centre of what it sees). */
export interface EmissionTiming {
  stride: number;
  offset: number;
}

interface TransformerLike {
  frameStacking?: number;
  causal?: boolean;
}

/** The stream mode of `model`, from its kind, config and receptive field. */
export function streamMode(model: EmgModel): StreamMode {
  const field = model.receptiveField;
  if (model.kind === "lstm" || model.kind === "gru") {
    return isSteppableRecurrent(model)
      ? { kind: "recurrent" }
      : { kind: "bidirectional", stride: 1 };
  }
  if (model.kind === "transformer") {
    const config = model.config as TransformerLike;
    const stride = config.frameStacking ?? 1;
    return config.causal ? { kind: "causal-history", stride } : { kind: "bidirectional", stride };
  }
  if (Number.isFinite(field)) {
    if (model.outputLength(field + 9) === 10) return { kind: "valid", field };
    if (model.outputLength(field + 9) === field + 9) return { kind: "causal-conv", field };
  }
  return { kind: "bidirectional", stride: 1 };
}

/** Whether a model can stream (decode causally, as the text is typed). */
export function isCausal(mode: StreamMode): boolean {
  return mode.kind !== "bidirectional";
}

/** Where each emission of `model` sits on its input frames. */
export function emissionTiming(
  model: EmgModel,
  mode: StreamMode = streamMode(model),
): EmissionTiming {
  switch (mode.kind) {
    case "valid":
      return { stride: 1, offset: (mode.field - 1) / 2 };
    case "causal-conv":
    case "recurrent":
      return { stride: 1, offset: 0 };
    case "causal-history":
      // A token's output is known once its last frame is in.
      return { stride: mode.stride, offset: mode.stride - 1 };
    case "bidirectional": {
      if (mode.stride > 1) return { stride: mode.stride, offset: (mode.stride - 1) / 2 };
      // Valid convolutions before a bidirectional layer (cnn-bilstm) shift outputs by half what they lose.
      const probe = 4096;
      return { stride: 1, offset: (probe - model.outputLength(probe)) / 2 };
    }
  }
}

/** Options of windowed (bidirectional) and history (causal transformer) runs. */
export interface WindowOptions {
  /** Frames per window for models that see the future (default 4096, about 33 s). */
  windowFrames?: number;
  /** Frames of context either side of a window (default 512). */
  contextFrames?: number;
  /** Frames of history a causal transformer keeps (default 4096); older frames are dropped. */
  historyFrames?: number;
  /**
   * Run a causal transformer in windows like a bidirectional model (one forward per window, not
   * one per push over the whole history): for whole ranges, where nothing waits on each push.
   */
  windowCausalHistory?: boolean;
}

/**
 * Emissions over a stream of input frames. `push` returns the emissions the new frames complete,
 * `(n, classes)` row-major; `finish` those still owed at the end. Every push plus finish
 * equals `model.forward` over all the frames for the causal modes (exactly, up to float
 * rounding); bidirectional models run in windows with context, exact when the whole stream fits
 * one window (`exact` says whether that held).
 */
export class EmissionEngine {
  readonly mode: StreamMode;
  readonly timing: EmissionTiming;
  readonly classes: number;
  /** False once a result depends on dropped history or on windowing. */
  exact = true;
  /** Emissions returned so far. */
  emitted = 0;
  private readonly frameSize: number;
  private readonly electrodes: number;
  private readonly freqs: number;
  /** Input frames kept (history or unprocessed), row-major, and the global index of the first. */
  private buffer = new Float32Array(0);
  private bufferFrames = 0;
  private bufferStart = 0;
  private received = 0;
  /** Bidirectional windows: the global frame where the next window's own frames start. */
  private nextWindow = 0;
  private readonly recurrent: RecurrentState | null;
  /** Convolutional models streamed layer by layer (tds, tcn): no receptive field recomputed. */
  private readonly layers: LayerStream | null;
  private readonly windowFrames: number;
  private readonly contextFrames: number;
  private readonly historyFrames: number;
  private readonly windowCausalHistory: boolean;

  constructor(
    readonly model: EmgModel,
    shape: { electrodes: number; freqs: number },
    options: WindowOptions = {},
  ) {
    this.mode = streamMode(model);
    this.timing = emissionTiming(model, this.mode);
    this.classes = (model.config as { numClasses?: number }).numClasses ?? 99;
    this.electrodes = shape.electrodes;
    this.freqs = shape.freqs;
    this.frameSize = 2 * shape.electrodes * shape.freqs;
    this.recurrent = this.mode.kind === "recurrent" ? new RecurrentState(model) : null;
    this.layers =
      this.mode.kind === "valid" || this.mode.kind === "causal-conv" ? layerStream(model) : null;
    const stride = "stride" in this.mode ? this.mode.stride : 1;
    const round = (frames: number) => Math.max(stride, Math.round(frames / stride) * stride);
    this.windowFrames = round(options.windowFrames ?? 4096);
    this.contextFrames = round(options.contextFrames ?? 512);
    this.historyFrames = round(options.historyFrames ?? 4096);
    this.windowCausalHistory = options.windowCausalHistory ?? false;
  }

  /** Feeds the next input frames; returns the emissions they complete. */
  push(frames: InputFrames): Float32Array {
    if (frames.frames > 0 && frames.data.length !== frames.frames * this.frameSize) {
      throw new RangeError(
        `frames of (2, ${frames.electrodes}, ${frames.freqs}) for a model of (2, ${this.electrodes}, ${this.freqs})`,
      );
    }
    this.append(frames.data, frames.frames);
    this.received += frames.frames;
    const out = this.advance(false);
    this.emitted += out.length / this.classes;
    return out;
  }

  /** The emissions still owed once the stream has ended. */
  finish(): Float32Array {
    const out = this.advance(true);
    this.emitted += out.length / this.classes;
    return out;
  }

  /** Forgets the stream. */
  reset(): void {
    this.bufferFrames = 0;
    this.bufferStart = 0;
    this.received = 0;
    this.emitted = 0;
    this.nextWindow = 0;
    this.exact = true;
    this.recurrent?.reset();
    this.layers?.reset();
  }

  dispose(): void {
    this.recurrent?.dispose();
    this.layers?.dispose();
  }

  private advance(ending: boolean): Float32Array {
    const mode = this.mode;
    const layers = this.layers;
    if (layers !== null) {
      if (this.bufferFrames === 0) return new Float32Array(0);
      const out = this.onHost(() => layers.step(this.bandInputs(0, this.bufferFrames)));
      this.keepLast(0);
      return out;
    }
    switch (mode.kind) {
      case "valid": {
        if (this.bufferFrames < mode.field) return new Float32Array(0);
        const out = this.forward(0, this.bufferFrames);
        this.keepLast(mode.field - 1);
        return out;
      }
      case "causal-conv": {
        const fresh = this.received - this.emitted;
        if (fresh === 0) return new Float32Array(0);
        const all = this.forward(0, this.bufferFrames);
        this.keepLast(mode.field - 1);
        return all.subarray(all.length - fresh * this.classes);
      }
      case "recurrent": {
        if (this.bufferFrames === 0) return new Float32Array(0);
        const recurrent = this.recurrent as RecurrentState;
        const out = this.onHost(() => recurrent.step(this.bandInputs(0, this.bufferFrames)));
        this.keepLast(0);
        return out;
      }
      case "causal-history": {
        if (this.windowCausalHistory) return this.windows(mode.stride, ending);
        const tokens = Math.floor(this.received / mode.stride);
        const fresh = tokens - this.emitted;
        if (fresh <= 0) return new Float32Array(0);
        const all = this.forward(0, this.bufferFrames);
        const out = all.slice(all.length - fresh * this.classes);
        if (this.bufferFrames > this.historyFrames) {
          // Whole tokens only, so the kept frames still start a token.
          const drop = this.bufferFrames - this.historyFrames;
          this.keepLast(this.bufferFrames - Math.ceil(drop / mode.stride) * mode.stride);
          this.exact = false;
        }
        return out;
      }
      case "bidirectional":
        return this.windows(mode.stride, ending);
    }
  }

  /**
   * Windows of `windowFrames` with `contextFrames` either side: each runs once its right context
   * is in (or the stream ends) and keeps the outputs of its own frames.
   */
  private windows(stride: number, ending: boolean): Float32Array {
    const parts: Float32Array[] = [];
    const W = this.windowFrames;
    const C = this.contextFrames;
    while (this.nextWindow < this.received) {
      const start = this.nextWindow;
      const end = start + W;
      if (!ending && this.received < end + C) break;
      const inputStart = Math.max(0, start - C);
      const inputEnd = Math.min(this.received, end + C);
      const final = ending && inputEnd === this.received;
      if (inputStart > 0 || !final) this.exact = false;
      const outputs = this.forward(inputStart - this.bufferStart, inputEnd - this.bufferStart);
      const count = outputs.length / this.classes;
      const first = (start - inputStart) / stride;
      const last = final ? count : Math.min(count, (end - inputStart) / stride);
      if (last > first) parts.push(outputs.slice(first * this.classes, last * this.classes));
      this.nextWindow = end;
      if (final) break;
      this.keepLast(this.received - Math.max(0, end - C));
    }
    return concatFloat32(parts);
  }

  /** model.forward over buffered frames [from, to) -> (T_out, classes) on the host. */
  private forward(from: number, to: number): Float32Array {
    return this.withInputs(from, to, (inputs) => {
      const out = this.model.forward(inputs, { training: false });
      return tf.reshape(out, [out.shape[0] as number, this.classes]) as tf.Tensor2D;
    });
  }

  private withInputs(
    from: number,
    to: number,
    run: (inputs: tf.Tensor) => tf.Tensor,
  ): Float32Array {
    if (to <= from) return new Float32Array(0);
    const data = this.buffer.subarray(from * this.frameSize, to * this.frameSize);
    return this.onHost(() =>
      run(tf.tensor(data, [to - from, 1, 2, this.electrodes, this.freqs], "float32")),
    );
  }

  /** Buffered frames [from, to) as one (T, electrodes · freqs) tensor per band. Call inside a tidy. */
  private bandInputs(from: number, to: number): tf.Tensor2D[] {
    const frames = to - from;
    const bandSize = this.frameSize / 2;
    return [0, 1].map((band) => {
      const values = new Float32Array(frames * bandSize);
      for (let t = 0; t < frames; t++) {
        const start = (from + t) * this.frameSize + band * bandSize;
        values.set(this.buffer.subarray(start, start + bandSize), t * bandSize);
      }
      return tf.tensor2d(values, [frames, bandSize]);
    });
  }

  /** `make()`'s values on the host, its tensors freed. */
  private onHost(make: () => tf.Tensor): Float32Array {
    const result = tf.tidy(make);
    const values = result.dataSync() as Float32Array;
    result.dispose();
    return values;
  }

  /** Keeps the last `frames` buffered frames. */
  private keepLast(frames: number): void {
    const drop = Math.max(0, this.bufferFrames - frames);
    if (drop === 0) return;
    this.buffer.copyWithin(0, drop * this.frameSize, this.bufferFrames * this.frameSize);
    this.bufferFrames -= drop;
    this.bufferStart += drop;
  }

  private append(data: Float32Array, frames: number): void {
    const needed = (this.bufferFrames + frames) * this.frameSize;
    if (needed > this.buffer.length) {
      const grown = new Float32Array(Math.max(needed, 2 * this.buffer.length));
      grown.set(this.buffer.subarray(0, this.bufferFrames * this.frameSize));
      this.buffer = grown;
    }
    this.buffer.set(data.subarray(0, frames * this.frameSize), this.bufferFrames * this.frameSize);
    this.bufferFrames += frames;
  }
}

/** The parts end to end, as one array (the part itself when there is only one). */
export function concatFloat32(parts: readonly Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0] as Float32Array;
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
