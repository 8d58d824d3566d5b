/** A multichannel signal: `data` row-major (frames, channels). */
export interface Signal {
  data: Float32Array;
  frames: number;
  channels: number;
}

/** Checks that a signal's buffer holds frames x channels values. */
export function checkSignal(signal: Signal, what = "signal"): void {
  const { data, frames, channels } = signal;
  if (!Number.isInteger(frames) || frames < 0 || !Number.isInteger(channels) || channels < 1) {
    throw new RangeError(
      `${what}: frames ${frames} and channels ${channels} must be whole numbers (channels >= 1)`,
    );
  }
  if (data.length !== frames * channels) {
    throw new RangeError(
      `${what}: ${data.length} values for ${frames} frames x ${channels} channels`,
    );
  }
}
