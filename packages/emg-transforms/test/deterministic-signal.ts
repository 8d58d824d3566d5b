import type { Signal } from "../src/signal.js";

/**
 * The integer-generated test signal of scripts/make_spectrogram_golden.py,
 * value for value: an LCG mapped to [-20, 20] in 1/500 steps plus a ramp.
 */
export function deterministicSignal(frames: number, channels: number, seed: number): Signal {
  const data = new Float32Array(frames * channels);
  let state = seed >>> 0;
  for (let t = 0; t < frames; t++) {
    for (let c = 0; c < channels; c++) {
      state = (Math.imul(1664525, state) + 1013904223) >>> 0;
      const noise = (((state >>> 8) % 20001) - 10000) / 500;
      const ramp = (((t * (c + 1)) % 200) - 100) / 10;
      data[t * channels + c] = noise + ramp;
    }
  }
  return { data, frames, channels };
}
