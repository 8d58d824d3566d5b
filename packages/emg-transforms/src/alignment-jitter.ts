import type { Random } from "./random.js";

/**
 * Shifts the right band against the left by `offset` samples on a `(T, 2, channels)` window, as
 * emg2qwerty's `TemporalAlignmentJitter` does once its offset is drawn: `offset > 0` drops the
 * first `offset` samples of the left band and the last `offset` of the right; `offset < 0` drops
 * the last `|offset|` of the left and the first `|offset|` of the right. Both bands keep
 * `T - |offset|` samples (0 when `|offset| >= T`, as numpy slicing gives).
 * Returns the `(T - |offset|, 2, channels)` window.
 */
export function shiftBandAlignment(
  emg: Float32Array,
  offset: number,
  channels = 16,
): { emg: Float32Array; frames: number } {
  if (!Number.isInteger(offset)) throw new RangeError(`offset must be an integer, got ${offset}`);
  const frameSize = 2 * channels;
  if (emg.length % frameSize !== 0) {
    throw new RangeError(`length ${emg.length} is not a multiple of 2 x channels ${frameSize}`);
  }
  const inputFrames = emg.length / frameSize;
  const frames = Math.max(0, inputFrames - Math.abs(offset));
  const leftStart = Math.max(offset, 0);
  const rightStart = Math.max(-offset, 0);
  const out = new Float32Array(frames * frameSize);
  for (let t = 0; t < frames; t++) {
    const left = (t + leftStart) * frameSize;
    const right = (t + rightStart) * frameSize + channels;
    out.set(emg.subarray(left, left + channels), t * frameSize);
    out.set(emg.subarray(right, right + channels), t * frameSize + channels);
  }
  return { emg: out, frames };
}

/**
 * emg2qwerty's `TemporalAlignmentJitter(maxOffset)` on a `(T, 2, channels)` window: the offset is
 * uniform over the integers in `[-maxOffset, maxOffset]` (numpy `randint(-max, max + 1)`).
 * Returns the `(T - |offset|, 2, channels)` window and the offset drawn.
 */
export function temporalAlignmentJitter(
  emg: Float32Array,
  maxOffset: number,
  random: Random,
  channels = 16,
): { emg: Float32Array; frames: number; offset: number } {
  if (!(Number.isInteger(maxOffset) && maxOffset >= 0)) {
    throw new RangeError(`maxOffset must be a non-negative integer, got ${maxOffset}`);
  }
  const offset = random.int(-maxOffset, maxOffset + 1);
  return { ...shiftBandAlignment(emg, offset, channels), offset };
}
