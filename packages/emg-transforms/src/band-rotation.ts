import type { Random } from "./random.js";

/** emg2qwerty's `RandomBandRotation` default offsets (`config/transforms/log_spectrogram.yaml`). */
export const DEFAULT_BAND_ROTATION_OFFSETS: readonly number[] = [-1, 0, 1];

export interface BandLayout {
  /** Bands per frame (2: left, right). */
  bands?: number;
  /** Electrodes per band (16). */
  channels?: number;
}

/**
 * Rolls the electrodes of each band of a `(T, bands, channels)` window by that band's offset,
 * with `torch.roll` semantics: a positive offset moves electrode `c` to `(c + offset) mod channels`.
 * Returns a new `(T, bands, channels)` array.
 */
export function rollBandChannels(
  emg: Float32Array,
  offsetsPerBand: readonly number[],
  { bands = 2, channels = 16 }: BandLayout = {},
): Float32Array {
  if (offsetsPerBand.length !== bands) {
    throw new RangeError(`expected ${bands} offsets (one per band), got ${offsetsPerBand.length}`);
  }
  const frameSize = bands * channels;
  if (emg.length % frameSize !== 0) {
    throw new RangeError(`length ${emg.length} is not a multiple of bands x channels ${frameSize}`);
  }
  const out = new Float32Array(emg.length);
  for (let band = 0; band < bands; band++) {
    const shift = mod(offsetsPerBand[band] ?? 0, channels);
    for (let frameStart = band * channels; frameStart < emg.length; frameStart += frameSize) {
      for (let c = 0; c < channels; c++) {
        out[frameStart + ((c + shift) % channels)] = emg[frameStart + c] as number;
      }
    }
  }
  return out;
}

/**
 * emg2qwerty's `ForEach(RandomBandRotation(offsets))` on a `(T, bands, channels)` window: one
 * offset per band, drawn uniformly from `offsets` in band order (left first), as `ForEach`
 * unbinds the band axis. An empty `offsets` means no rotation, as in emg2qwerty.
 * Returns the rotated `(T, bands, channels)` window and the offsets used.
 */
export function randomBandRotation(
  emg: Float32Array,
  random: Random,
  offsets: readonly number[] = DEFAULT_BAND_ROTATION_OFFSETS,
  layout: BandLayout = {},
): { emg: Float32Array; offsets: number[] } {
  const bands = layout.bands ?? 2;
  const drawn: number[] = [];
  for (let band = 0; band < bands; band++) {
    drawn.push(offsets.length > 0 ? random.choice(offsets) : 0);
  }
  return { emg: rollBandChannels(emg, drawn, layout), offsets: drawn };
}

function mod(value: number, modulus: number): number {
  return ((value % modulus) + modulus) % modulus;
}
