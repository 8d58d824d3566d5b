/**
 * The high-pass filter that removes offsets and wander, as emg2qwerty's data
 * is high-pass filtered: a 2nd-order Butterworth biquad run forward (causal,
 * like the hardware), in float64 state, over every channel.
 */

/** Biquad coefficients, a0 normalized to 1. */
export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** 2nd-order Butterworth high-pass at `cutoffHz` (bilinear transform, pre-warped). */
export function butterworthHighPass(cutoffHz: number, sampleRateHz: number): Biquad {
  if (!(cutoffHz > 0 && cutoffHz < sampleRateHz / 2)) {
    throw new RangeError(`high-pass cutoff ${cutoffHz} Hz is outside (0, ${sampleRateHz / 2})`);
  }
  const k = Math.tan((Math.PI * cutoffHz) / sampleRateHz);
  const norm = 1 / (1 + Math.SQRT2 * k + k * k);
  return {
    b0: norm,
    b1: -2 * norm,
    b2: norm,
    a1: 2 * (k * k - 1) * norm,
    a2: (1 - Math.SQRT2 * k + k * k) * norm,
  };
}

/**
 * Filters `data` (T, channels) row-major in place. Each channel starts in the
 * steady state of its first value, so an electrode offset causes no step at
 * the start of the recording.
 */
export function filterChannels(
  data: Float32Array,
  frames: number,
  channels: number,
  filter: Biquad,
): void {
  const { b0, b1, b2, a1, a2 } = filter;
  // Transposed direct form II state per channel.
  const z1 = new Float64Array(channels);
  const z2 = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const x0 = data[c] ?? 0;
    // Constant input x0 forever: output 0 (b0 + b1 + b2 = 0), states as follows.
    z2[c] = b2 * x0;
    z1[c] = (b1 + b2) * x0;
  }
  for (let i = 0; i < frames; i++) {
    const row = i * channels;
    for (let c = 0; c < channels; c++) {
      const x = data[row + c] as number;
      const y = b0 * x + (z1[c] as number);
      z1[c] = b1 * x - a1 * y + (z2[c] as number);
      z2[c] = b2 * x - a2 * y;
      data[row + c] = y;
    }
  }
}
