import type { Random } from "./random.js";

/**
 * How to pick k electrodes of a band's ring of `channels` (16):
 * - `contiguous`: k neighbours from `start`, in ring order, wrapping: k=4, start=14 -> 14 15 0 1.
 * - `spread`: evenly around the ring from `start`, `(start + round(i * channels / k)) mod
 *   channels` for i = 0..k-1, in that order: k=4 -> 0 4 8 12; k=3 -> 0 5 11.
 * - `random`: k distinct electrodes drawn with `random`, returned ascending.
 * The same electrodes are kept on both bands.
 */
export type ElectrodeSubsetStrategy = "contiguous" | "spread" | "random";

export interface ElectrodeSubsetOptions {
  strategy: ElectrodeSubsetStrategy;
  /** First electrode for `contiguous` and `spread` (default 0). */
  start?: number;
  /** Required for `random`. */
  random?: Random;
  /** Electrodes per band (16). */
  channels?: number;
}

/** The k electrode indices (per band) the strategy keeps, in output order. */
export function chooseElectrodes(k: number, options: ElectrodeSubsetOptions): number[] {
  const channels = options.channels ?? 16;
  if (!(Number.isInteger(k) && k >= 1 && k <= channels)) {
    throw new RangeError(`k must be an integer in 1..${channels}, got ${k}`);
  }
  const start = options.start ?? 0;
  if (!(Number.isInteger(start) && start >= 0 && start < channels)) {
    throw new RangeError(`start must be an integer in 0..${channels - 1}, got ${start}`);
  }
  switch (options.strategy) {
    case "contiguous":
      return Array.from({ length: k }, (_, i) => (start + i) % channels);
    case "spread":
      // Steps of channels / k >= 1 round to distinct electrodes.
      return Array.from(
        { length: k },
        (_, i) => (start + Math.round((i * channels) / k)) % channels,
      );
    case "random": {
      if (!options.random) throw new RangeError("strategy 'random' needs a Random");
      const pool = Array.from({ length: channels }, (_, i) => i);
      // Partial Fisher-Yates: the first k slots become a uniform k-subset.
      for (let i = 0; i < k; i++) {
        const j = options.random.int(i, channels);
        [pool[i], pool[j]] = [pool[j] as number, pool[i] as number];
      }
      return pool.slice(0, k).sort((a, b) => a - b);
    }
  }
}

/**
 * Keeps `electrodes` of each band of a `(T, bands, channels)` window.
 * Returns the `(T, bands, electrodes.length)` window, electrodes in the given order.
 */
export function selectElectrodes(
  emg: Float32Array,
  electrodes: readonly number[],
  { bands = 2, channels = 16 }: { bands?: number; channels?: number } = {},
): Float32Array {
  const frameSize = bands * channels;
  if (emg.length % frameSize !== 0) {
    throw new RangeError(`length ${emg.length} is not a multiple of bands x channels ${frameSize}`);
  }
  for (const electrode of electrodes) {
    if (!(Number.isInteger(electrode) && electrode >= 0 && electrode < channels)) {
      throw new RangeError(`electrode ${electrode} is outside 0..${channels - 1}`);
    }
  }
  const frames = emg.length / frameSize;
  const k = electrodes.length;
  const out = new Float32Array(frames * bands * k);
  let o = 0;
  for (let t = 0; t < frames; t++) {
    for (let band = 0; band < bands; band++) {
      const base = (t * bands + band) * channels;
      for (const electrode of electrodes) out[o++] = emg[base + electrode] as number;
    }
  }
  return out;
}

/**
 * Keeps k electrodes per band of a `(T, 2, channels)` window, chosen by `options.strategy`.
 * Returns the `(T, 2, k)` window and the electrode indices kept.
 */
export function electrodeSubset(
  emg: Float32Array,
  k: number,
  options: ElectrodeSubsetOptions,
): { emg: Float32Array; electrodes: number[] } {
  const electrodes = chooseElectrodes(k, options);
  return {
    emg: selectElectrodes(emg, electrodes, { channels: options.channels ?? 16 }),
    electrodes,
  };
}
