import type { Random } from "./random.js";

/** Range of the per-channel gain; drawn log-uniformly, so 0.5..2 is symmetric around 1. */
export interface ChannelGainOptions {
  minGain: number;
  maxGain: number;
}

/**
 * Additive white Gaussian noise: either a fixed `std`, or `snrDb` relative to each channel's mean
 * square over the window (so quiet and loud electrodes get the same SNR; an all-zero channel gets
 * none).
 */
export type NoiseOptions = { std: number } | { snrDb: number };

/**
 * Multiplies each channel of a `(T, channels)` window (default `(T, 2, 16)`: 32 channels) by its
 * own gain, `exp(uniform(ln minGain, ln maxGain))`, drawn in channel order; models electrode
 * contact and amplifier differences. Returns the new window and the gains.
 */
export function randomChannelGain(
  emg: Float32Array,
  { minGain, maxGain }: ChannelGainOptions,
  random: Random,
  channels = 32,
): { emg: Float32Array; gains: Float64Array } {
  if (!(minGain > 0 && maxGain >= minGain)) {
    throw new RangeError(`need 0 < minGain <= maxGain, got ${minGain}, ${maxGain}`);
  }
  checkFrames(emg, channels);
  const gains = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    gains[c] = Math.exp(random.uniform(Math.log(minGain), Math.log(maxGain)));
  }
  const out = new Float32Array(emg.length);
  for (let i = 0; i < emg.length; i++)
    out[i] = (emg[i] as number) * (gains[i % channels] as number);
  return { emg: out, gains };
}

/**
 * Adds Gaussian noise to a `(T, channels)` window (default 32 channels), drawn frame by frame in
 * channel order. Returns the new window and the noise std used per channel.
 */
export function addGaussianNoise(
  emg: Float32Array,
  options: NoiseOptions,
  random: Random,
  channels = 32,
): { emg: Float32Array; std: Float64Array } {
  const frames = checkFrames(emg, channels);
  const std = new Float64Array(channels);
  if ("std" in options) {
    if (!(options.std >= 0)) throw new RangeError(`std must be >= 0, got ${options.std}`);
    std.fill(options.std);
  } else {
    const meanSquare = new Float64Array(channels);
    for (let i = 0; i < emg.length; i++) {
      const value = emg[i] as number;
      meanSquare[i % channels] = (meanSquare[i % channels] as number) + value * value;
    }
    const noiseToSignal = 10 ** (-options.snrDb / 10);
    for (let c = 0; c < channels; c++) {
      std[c] = frames > 0 ? Math.sqrt(((meanSquare[c] as number) / frames) * noiseToSignal) : 0;
    }
  }
  const out = new Float32Array(emg.length);
  for (let i = 0; i < emg.length; i++) {
    out[i] = (emg[i] as number) + (std[i % channels] as number) * random.normal();
  }
  return { emg: out, std };
}

function checkFrames(emg: Float32Array, channels: number): number {
  if (emg.length % channels !== 0) {
    throw new RangeError(`length ${emg.length} is not a multiple of channels ${channels}`);
  }
  return emg.length / channels;
}
