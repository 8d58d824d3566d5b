/**
 * Streaming inference for the benchmark table: raw EMG fed in chunks through
 * `StreamingSpectrogram` and `@emgkit/models`' `EmissionEngine` (per-layer frame caches for
 * convolutions, carried state for recurrent models), timed as x real time on one core, checked
 * against `model.forward` over the whole signal, and one push profiled kernel by kernel so the
 * table can say where the time goes: matrix products and convolutions (with their FLOPs), the
 * other kernels, and what is left (per-op dispatch in tfjs and the spectrogram).
 */
import { logSpectrogram, StreamingSpectrogram } from "@emgkit/emg-transforms";
import {
  concatFloat32,
  countParams,
  createModel,
  type EmgModel,
  EmissionEngine,
} from "@emgkit/models";
import * as tf from "@tensorflow/tfjs-core";

const SAMPLE_RATE = 2000;
const SPECTROGRAM = { nFft: 64, hopLength: 16 };
const SHAPE = { electrodes: 16, freqs: 33 };

/** The causal models streamed: every causal kind at its defaults, and a compact TCN. */
export const STREAM_MODELS: Record<string, { label: string; make: () => EmgModel }> = {
  lstm: {
    label: "lstm, unidirectional 2 x 256 (defaults otherwise)",
    make: () => createModel("lstm", { bidirectional: false }, 0),
  },
  gru: {
    label: "gru, unidirectional (defaults otherwise)",
    make: () => createModel("gru", { bidirectional: false }, 0),
  },
  tcn: { label: "tcn, defaults (6 x 512 channels)", make: () => createModel("tcn", {}, 0) },
  tds: { label: "tds, defaults", make: () => createModel("tds", {}, 0) },
  "tcn-compact": {
    label: "tcn, compact: 64-feature MLP, 4 x 128 channels",
    make: () => createModel("tcn", { mlpFeatures: [64], blockChannels: [128, 128, 128, 128] }, 0),
  },
};

export interface StreamRow {
  model: string;
  label: string;
  backend: string;
  chunkMs: number;
  parameters: number;
  emgSeconds: number;
  computeSeconds: number;
  pushMsMean: number;
  pushMsP95: number;
  peakRssMb: number;
  load: number;
  /** Max |streamed - model.forward| over 2 s of EMG. */
  maxAbsDiff: number;
  /** One push of a chunk under `tf.profile`, after the timed run. */
  profile: PushProfile;
  /** This backend's matMul rate on a large product (4096 x 768 x 768), GFLOP/s: the ceiling. */
  peakGflops: number;
}

/** Where one push's time goes. */
export interface PushProfile {
  frames: number;
  wallMs: number;
  /** Backend kernels called (ops and custom-gradient scopes not counted twice). */
  kernels: number;
  /** BatchMatMul and Conv2D (fused or not): time and multiply-adds x 2. */
  denseMs: number;
  denseFlops: number;
  otherKernelMs: number;
}

/** Raw EMG (t, 32) row-major: 2 bands x 16 electrodes, random, in microvolt-like units. */
function randomEmg(seconds: number, seed: number): Float32Array {
  let state = seed >>> 0;
  return new Float32Array(seconds * SAMPLE_RATE * 32).map(() => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return 40 * (state / 4294967296 - 0.5);
  });
}

/** Feeds `emg` in chunks of `chunkSamples` through the spectrogram and `engine`. */
function stream(
  emg: Float32Array,
  chunkSamples: number,
  engine: EmissionEngine,
  spectrogram = new StreamingSpectrogram(32, SPECTROGRAM),
): { emissions: Float32Array[]; pushMs: number[] } {
  const emissions: Float32Array[] = [];
  const pushMs: number[] = [];
  for (let at = 0; at + chunkSamples * 32 <= emg.length; at += chunkSamples * 32) {
    const start = performance.now();
    const frames = spectrogram.push(emg.subarray(at, at + chunkSamples * 32));
    emissions.push(engine.push({ ...frames, ...SHAPE }));
    pushMs.push(performance.now() - start);
  }
  emissions.push(engine.finish());
  return { emissions, pushMs };
}

const DENSE = new Set(["BatchMatMul", "_FusedMatMul", "Conv2D", "FusedConv2D"]);
const size = (shape: number[]) => shape.reduce((n, d) => n * d, 1);

/**
 * FLOPs of a matrix product or convolution from its shapes: 2 x outputs x the products summed
 * into each (the shared dimension; for a convolution the filter's size over its out channels).
 */
function denseFlops(name: string, inputs: number[][], output: number[]): number {
  const outputs = size(output);
  if (name.includes("Conv")) {
    const filter = inputs[1] as number[];
    return (2 * outputs * size(filter)) / (filter.at(-1) as number);
  }
  const rows = outputs / (output.at(-1) as number);
  return (2 * outputs * size(inputs[0] as number[])) / rows;
}

/** GFLOP/s of a 4096 x 768 by 768 x 768 matMul, best of 5 after a warm-up. */
function peakMatMulGflops(): number {
  const a = tf.randomNormal([4096, 768]);
  const b = tf.randomNormal([768, 768]);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 6; i++) {
    const start = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
    if (i > 0) best = Math.min(best, performance.now() - start);
  }
  tf.dispose([a, b]);
  return (2 * 4096 * 768 * 768) / (best * 1e6);
}

async function profilePush(push: () => void, frames: number): Promise<PushProfile> {
  const start = performance.now();
  const info = await tf.profile(push);
  const wallMs = performance.now() - start;
  const backend = tf.getBackend();
  const profile: PushProfile = {
    frames,
    wallMs,
    kernels: 0,
    denseMs: 0,
    denseFlops: 0,
    otherKernelMs: 0,
  };
  for (const kernel of info.kernels) {
    // Ops and custom gradients are recorded too, with their inner kernels' time: skip them.
    if (tf.getKernel(kernel.name, backend) === undefined) continue;
    const ms = await Promise.resolve(kernel.kernelTimeMs as number | { error: string });
    const time = typeof ms === "number" ? ms : 0;
    profile.kernels += 1;
    if (DENSE.has(kernel.name)) {
      profile.denseMs += time;
      profile.denseFlops += denseFlops(
        kernel.name,
        kernel.inputShapes,
        kernel.outputShapes[0] as number[],
      );
    } else profile.otherKernelMs += time;
  }
  return profile;
}

/** Streams `seconds` of EMG through `model` in chunks of `chunkMs`; `activate` picks the backend. */
export async function measureStream(
  model: string,
  chunkMs: number,
  seconds: number,
  backend: string,
  activate: (backend: string) => Promise<void>,
): Promise<StreamRow> {
  await activate(backend);
  const entry = STREAM_MODELS[model];
  if (entry === undefined) throw new Error(`no streaming model ${model}`);
  const emgModel = entry.make();
  const chunkSamples = Math.round((chunkMs * SAMPLE_RATE) / 1000);
  // Check: 2 s streamed equals model.forward over the whole 2 s spectrogram.
  const check = randomEmg(2, 7);
  const checker = new EmissionEngine(emgModel, SHAPE);
  const streamed = concatFloat32(stream(check, chunkSamples, checker).emissions);
  checker.dispose();
  const whole = logSpectrogram(
    { data: check, frames: check.length / 32, channels: 32 },
    SPECTROGRAM,
  );
  const expected = tf.tidy(
    () =>
      emgModel
        .forward(tf.tensor(whole.data, [whole.frames, 1, 2, 16, 33]), { training: false })
        .dataSync() as Float32Array,
  );
  let maxAbsDiff = streamed.length === expected.length ? 0 : Number.POSITIVE_INFINITY;
  for (let i = 0; i < Math.min(streamed.length, expected.length); i++) {
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs((streamed[i] as number) - (expected[i] as number)));
  }

  const emg = randomEmg(seconds, 3);
  const engine = new EmissionEngine(emgModel, SHAPE);
  // Warm-up: the first pushes make the engine's kept weights and grow the wasm heap.
  stream(emg.subarray(0, Math.min(emg.length, 2 * chunkSamples * 32)), chunkSamples, engine);
  engine.reset();
  const spectrogram = new StreamingSpectrogram(32, SPECTROGRAM);
  const start = performance.now();
  const { pushMs } = stream(emg, chunkSamples, engine, spectrogram);
  const computeSeconds = (performance.now() - start) / 1000;
  // One more chunk, profiled, in the state the stream left.
  const chunk = spectrogram.push(emg.subarray(0, chunkSamples * 32));
  const profile = await profilePush(() => {
    engine.push({ ...chunk, ...SHAPE });
  }, chunk.frames);
  engine.dispose();
  const sorted = [...pushMs].sort((a, b) => a - b);
  const row: StreamRow = {
    model,
    label: entry.label,
    backend,
    chunkMs,
    parameters: countParams(emgModel.params),
    emgSeconds: seconds,
    computeSeconds,
    pushMsMean: pushMs.reduce((a, b) => a + b, 0) / pushMs.length,
    pushMsP95: sorted[Math.floor(0.95 * (sorted.length - 1))] as number,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    load: 0,
    maxAbsDiff,
    profile,
    peakGflops: peakMatMulGflops(),
  };
  emgModel.dispose();
  return row;
}
