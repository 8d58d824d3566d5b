/**
 * A model over a range of a session, in chunks that leave the page responsive between them:
 * raw EMG read chunk by chunk, features and emissions made incrementally (the same numbers as
 * one pass over the range for causal and convolutional models), then greedy and beam decoding
 * and the scores against the ground truth. No DOM.
 */
import { CharacterErrorRates, type ErrorRates } from "@emgkit/cer-metrics";
import { type CTCDecoder, greedyDecode } from "@emgkit/ctc";
import { charset, type LabelData } from "@emgkit/emg-io";
import type { EmgModel } from "@emgkit/models";
import { EmissionEngine, type EmissionTiming, type WindowOptions } from "@emgkit/models";
import {
  type AlignmentSpan,
  alignmentSpans,
  type TimedText,
  timedDecoding,
  timedGroundTruth,
} from "./alignment.js";
import { type FrameGeometry, StreamingFeatures } from "./features.js";
import type { InputSpec } from "./run-config.js";

/** What a range run reads: an open session (`@emgkit/emg-io`'s Session has these). */
export interface EmgSource {
  readonly length: number;
  read(start: number, end: number): { time: Float64Array; emg: Float32Array };
  groundTruth(startT?: number, endT?: number): LabelData;
}

export interface RangeRunOptions {
  /** Raw samples read per chunk (default 4000: 2 s). */
  chunkSamples?: number;
  onProgress?: (done: number, total: number) => void;
  /** Awaited between chunks (the page yields to the event loop there). */
  pause?: () => Promise<void>;
  signal?: AbortSignal;
  window?: WindowOptions;
}

/** A model's emissions over `[start, end)` of a session. */
export interface RangeEmissions {
  start: number;
  end: number;
  /** (count, classes) log-probabilities, row-major. */
  emissions: Float32Array;
  count: number;
  classes: number;
  timing: EmissionTiming;
  geometry: FrameGeometry;
  /** Input frames the range gave. */
  frames: number;
  /** Sample times of the range (unix seconds), for placing the ground truth. */
  times: Float64Array;
  /** False when a bidirectional model ran in windows (the range was longer than one). */
  exact: boolean;
  /** Milliseconds in features, in the model (forward and host copies), and in all. */
  featureMs: number;
  modelMs: number;
  totalMs: number;
}

const now = () => globalThis.performance?.now() ?? Date.now();

/** Runs `model` over samples `[start, end)` of `source`, chunk by chunk. */
export async function runRange(
  model: EmgModel,
  source: EmgSource,
  range: { start: number; end: number },
  spec: InputSpec,
  options: RangeRunOptions = {},
): Promise<RangeEmissions> {
  const begin = now();
  const start = Math.max(0, Math.floor(range.start));
  const end = Math.min(source.length, Math.ceil(range.end));
  const chunk = options.chunkSamples ?? 4000;
  const features = new StreamingFeatures(spec.transforms);
  const engine = new EmissionEngine(model, features.geometry, {
    windowCausalHistory: true,
    ...options.window,
  });
  const parts: Float32Array[] = [];
  const times = new Float64Array(Math.max(0, end - start));
  let frames = 0;
  let featureMs = 0;
  let modelMs = 0;
  const run = (inputs: ReturnType<StreamingFeatures["push"]>) => {
    frames += inputs.frames;
    const t0 = now();
    const out = engine.push(inputs);
    modelMs += now() - t0;
    if (out.length > 0) parts.push(out);
  };
  try {
    for (let at = start; at < end; at += chunk) {
      options.signal?.throwIfAborted();
      const stop = Math.min(end, at + chunk);
      const window = source.read(at, stop);
      times.set(window.time, at - start);
      const t0 = now();
      const inputs = features.push(window.emg);
      featureMs += now() - t0;
      run(inputs);
      options.onProgress?.(stop - start, end - start);
      await options.pause?.();
    }
    options.signal?.throwIfAborted();
    const t0 = now();
    const rest = features.finish();
    featureMs += now() - t0;
    run(rest);
    const t1 = now();
    const tail = engine.finish();
    modelMs += now() - t1;
    if (tail.length > 0) parts.push(tail);
  } finally {
    engine.dispose();
  }
  const emissions = new Float32Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    emissions.set(part, offset);
    offset += part.length;
  }
  return {
    start,
    end,
    emissions,
    count: emissions.length / engine.classes,
    classes: engine.classes,
    timing: engine.timing,
    geometry: features.geometry,
    frames,
    times,
    exact: engine.exact,
    featureMs,
    modelMs,
    totalMs: now() - begin,
  };
}

/** Emission indices 0 .. count - 1 from `from`, the timestamps the decoders get. */
function indices(from: number, count: number): Float64Array {
  return Float64Array.from({ length: count }, (_, i) => from + i);
}

/** Greedy decoding of a range's emissions, onsets in emission indices. */
export function greedyText(result: RangeEmissions): { text: string; timestamps: Float64Array } {
  const { labels, timestamps } = greedyDecode(result.emissions, {
    numClasses: result.classes,
    blank: charset.nullClass,
  });
  return { text: charset.labelsToStr(labels), timestamps };
}

/** `decoder` (e.g. a beam) over a range's emissions in chunks of `chunkFrames`, pausing between. */
export async function decodeInChunks(
  decoder: CTCDecoder,
  result: RangeEmissions,
  options: { chunkFrames?: number; pause?: () => Promise<void>; signal?: AbortSignal } = {},
): Promise<{ text: string; timestamps: ArrayLike<number> | null }> {
  const step = options.chunkFrames ?? 500;
  const C = result.classes;
  decoder.reset();
  let decoded: LabelData | null = null;
  if (result.count === 0) {
    decoded = decoder.decode(new Float32Array(0), new Float64Array(0), true);
  }
  for (let from = 0; from < result.count; from += step) {
    options.signal?.throwIfAborted();
    const to = Math.min(result.count, from + step);
    decoded = decoder.decode(
      result.emissions.subarray(from * C, to * C),
      indices(from, to - from),
      to === result.count,
    );
    await options.pause?.();
  }
  const out = decoded as LabelData;
  return { text: out.text, timestamps: out.timestamps };
}

/** A decoding of a range scored against the range's ground truth. */
export interface ScoredDecoding {
  prediction: TimedText;
  target: TimedText;
  spans: AlignmentSpan[];
  /** Null when the ground truth of the range is empty (the rates are undefined). */
  rates: ErrorRates | null;
}

/** The range's ground truth, as evaluation takes it: keys pressed from its first to last sample. */
export function rangeTruth(source: EmgSource, result: RangeEmissions): TimedText {
  const { times } = result;
  if (times.length === 0) return { text: "", samples: new Float64Array(0) };
  const truth = source.groundTruth(times[0] as number, times[times.length - 1] as number);
  return timedGroundTruth(truth, times, result.start);
}

/** Places `decoded` on the session and scores it against `target`. */
export function scoreDecoding(
  decoded: { text: string; timestamps: ArrayLike<number> | null },
  target: TimedText,
  result: RangeEmissions,
): ScoredDecoding {
  const prediction = timedDecoding(decoded, result.timing, result.geometry, result.start);
  const spans = alignmentSpans(prediction, target);
  let rates: ErrorRates | null = null;
  if (target.text.length > 0) {
    const metrics = new CharacterErrorRates();
    metrics.update(prediction.text, target.text);
    rates = metrics.compute();
  }
  return { prediction, target, spans, rates };
}
