/**
 * Training examples of the finger task (browser-safe, no tfjs): windows of W frames drawn at
 * random from per-frame feature signals, stacked time first.
 */
import type { Random } from "@emgkit/emg-transforms";

/** A feature signal with one label per frame. */
export interface LabelledFeatures {
  /** (T, F) row-major. */
  features: Float32Array;
  /** (T,) class ids. */
  labels: ArrayLike<number>;
  frames: number;
}

/** Windows stacked time first. */
export interface FingerBatch {
  /** (W, N, F): `inputs[(t * N + n) * F + f]`. */
  inputs: Float32Array;
  /** (W, N): `labels[t * N + n]`. */
  labels: Int32Array;
  shape: [number, number, number];
}

/** Where a window lies: signal index and first frame. */
export interface WindowPlace {
  signal: number;
  start: number;
}

/**
 * `count` windows of `windowLength` frames, every start of every signal long enough equally
 * likely (so longer signals give proportionally more windows), drawn from `random`.
 * @param lengths frames of each signal
 */
export function drawWindows(
  lengths: readonly number[],
  windowLength: number,
  count: number,
  random: Random,
): WindowPlace[] {
  const starts = lengths.map((frames) => Math.max(frames - windowLength + 1, 0));
  const total = starts.reduce((sum, n) => sum + n, 0);
  if (total === 0) {
    throw new RangeError(
      `no signal is as long as a window of ${windowLength} frames (longest: ${Math.max(0, ...lengths)})`,
    );
  }
  return Array.from({ length: count }, () => {
    let index = random.int(0, total);
    let signal = 0;
    while (index >= (starts[signal] as number)) index -= starts[signal++] as number;
    return { signal, start: index };
  });
}

/**
 * Copies (T_i, F) windows into one (W, N, F) time-first array.
 * @param windows N arrays of W · F values each (row-major (W, F))
 */
export function stackTimeFirst(
  windows: readonly Float32Array[],
  windowLength: number,
  features: number,
): Float32Array {
  const batch = windows.length;
  const out = new Float32Array(windowLength * batch * features);
  windows.forEach((window, n) => {
    if (window.length !== windowLength * features) {
      throw new RangeError(
        `window ${n} has ${window.length} values, not ${windowLength * features}`,
      );
    }
    for (let t = 0; t < windowLength; t++) {
      out.set(window.subarray(t * features, (t + 1) * features), (t * batch + n) * features);
    }
  });
  return out;
}

/** A batch of `batchSize` random windows of `windowLength` frames with their labels. */
export function sampleFingerBatch(
  signals: readonly LabelledFeatures[],
  windowLength: number,
  batchSize: number,
  random: Random,
): FingerBatch {
  const first = signals[0];
  if (first === undefined) throw new RangeError("no training signals");
  const features = first.frames === 0 ? 0 : first.features.length / first.frames;
  const places = drawWindows(
    signals.map((s) => s.frames),
    windowLength,
    batchSize,
    random,
  );
  const windows = places.map(({ signal, start }) =>
    (signals[signal] as LabelledFeatures).features.subarray(
      start * features,
      (start + windowLength) * features,
    ),
  );
  const labels = new Int32Array(windowLength * batchSize);
  places.forEach(({ signal, start }, n) => {
    const source = (signals[signal] as LabelledFeatures).labels;
    for (let t = 0; t < windowLength; t++) labels[t * batchSize + n] = source[start + t] as number;
  });
  return {
    inputs: stackTimeFirst(windows, windowLength, features),
    labels,
    shape: [windowLength, batchSize, features],
  };
}
