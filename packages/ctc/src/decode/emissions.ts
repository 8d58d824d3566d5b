/** Emission scores of one sequence, row-major (T, C), or of a batch, time-first (T, N, C). */
export type EmissionMatrix = Float32Array | Float64Array;

/** Number of frames T of a (T, C) matrix; throws when the length is not a multiple of C. */
export function frameCount(emissions: EmissionMatrix, numClasses: number): number {
  const frames = emissions.length / numClasses;
  if (!Number.isInteger(frames)) {
    throw new RangeError(
      `emissions of length ${emissions.length} are not (T, ${numClasses}) row-major`,
    );
  }
  return frames;
}

/** Throws unless there is one timestamp per frame. */
export function checkTimestamps(timestamps: ArrayLike<number>, frames: number): void {
  if (timestamps.length !== frames) {
    throw new RangeError(`${timestamps.length} timestamps for ${frames} frames`);
  }
}

/** 0, 1, ..., count - 1: the timestamps emg2qwerty's `decode_batch` gives each item. */
export function frameIndices(count: number): Float64Array {
  const indices = new Float64Array(count);
  for (let t = 0; t < count; t++) indices[t] = t;
  return indices;
}
