import type { Random } from "./random.js";

/** A spectrogram `(T, C, freq)` row-major, C = bands x channels (`logSpectrogram`'s output fits). */
export interface SpectrogramLike {
  data: Float32Array;
  frames: number;
  freqs: number;
}

/** emg2qwerty's `SpecAugment` fields; defaults are its dataclass defaults (no masking). */
export interface SpecAugmentOptions {
  /** Masks per call: uniform over 0..nTimeMasks (numpy `randint(n + 1)`). */
  nTimeMasks?: number;
  /** Mask width is `floor(u * timeMaskParam)`, u uniform in [0, 1): at most `param - 1` frames. */
  timeMaskParam?: number;
  /** Independent masks per channel (band x electrode) rather than one for all. */
  iidTimeMasks?: boolean;
  nFreqMasks?: number;
  freqMaskParam?: number;
  iidFreqMasks?: boolean;
  maskValue?: number;
}

/** One `TimeMasking` / `FrequencyMasking` call: half-open `[starts[c], ends[c])` per channel c. */
export interface AppliedMask {
  axis: "time" | "freq";
  starts: Int32Array;
  ends: Int32Array;
}

/**
 * A `torch.rand` float32 draw: 24 random bits scaled to [0, 1), as torch's CPU generator makes
 * them, so `u * param` can never round up to `param` in float32.
 */
export function torchRandFloat32(random: Random): number {
  return Math.floor(random.next() * 16777216) / 16777216;
}

/**
 * The masked range torchaudio's `mask_along_axis(_iid)` derives from its two draws u, v in
 * [0, 1), in float32 as the spectrogram's dtype makes it:
 * `value = u * param; minValue = v * (size - value)`; masked `[trunc(minValue),
 * trunc(minValue) + trunc(value))`. Note the start uses the unfloored width, and `.long()`
 * truncates toward zero, so when `param > size` the start may be negative: the range is clipped
 * to `[0, size)` as the `arange` comparison does.
 */
export function maskRangeFromDraws(
  u: number,
  v: number,
  maskParam: number,
  size: number,
): [start: number, end: number] {
  const value = Math.fround(u * maskParam);
  const minValue = Math.fround(v * Math.fround(size - value));
  const start = Math.trunc(minValue);
  const end = start + Math.trunc(value);
  const clippedStart = Math.min(Math.max(start, 0), size);
  return [clippedStart, Math.max(clippedStart, Math.min(end, size))];
}

/**
 * emg2qwerty's `SpecAugment` on a `(T, bands, channels, freq)` spectrogram (any C = bands x
 * channels). Draw order follows emg2qwerty + torchaudio: time-mask count, then per time mask all
 * widths u (one per channel when iid, else one) then all starts v; then the same for frequency.
 * A mask param below 1 applies nothing and draws nothing, as torchaudio returns early.
 * Returns a copy of `spectrogram` with new masked `(T, C, freq)` data, and the masks applied in order.
 */
export function specAugment<S extends SpectrogramLike>(
  spectrogram: S,
  options: SpecAugmentOptions,
  random: Random,
): S & { masks: AppliedMask[] } {
  const { frames, freqs } = spectrogram;
  const channels = frames * freqs > 0 ? spectrogram.data.length / (frames * freqs) : 0;
  if (!Number.isInteger(channels)) {
    throw new RangeError(`length ${spectrogram.data.length} is not frames x C x freqs`);
  }
  const maskValue = options.maskValue ?? 0;
  const data = spectrogram.data.slice();
  const masks: AppliedMask[] = [];

  const axes = [
    {
      axis: "time" as const,
      count: options.nTimeMasks ?? 0,
      param: options.timeMaskParam ?? 0,
      iid: options.iidTimeMasks ?? true,
      size: frames,
    },
    {
      axis: "freq" as const,
      count: options.nFreqMasks ?? 0,
      param: options.freqMaskParam ?? 0,
      iid: options.iidFreqMasks ?? true,
      size: freqs,
    },
  ];
  for (const { axis, count, param, iid, size } of axes) {
    const maskCount = random.int(0, count + 1);
    if (param < 1) continue;
    for (let m = 0; m < maskCount; m++) {
      const mask = drawMask(axis, param, size, iid ? channels : 1, channels, random);
      applyMask(data, mask, frames, channels, freqs, maskValue);
      masks.push(mask);
    }
  }
  return { ...spectrogram, data, masks };
}

/** `draws` independent ranges (1 when not iid), spread to all `channels`. */
function drawMask(
  axis: AppliedMask["axis"],
  param: number,
  size: number,
  draws: number,
  channels: number,
  random: Random,
): AppliedMask {
  const widths = Array.from({ length: draws }, () => torchRandFloat32(random));
  const offsets = Array.from({ length: draws }, () => torchRandFloat32(random));
  const starts = new Int32Array(channels);
  const ends = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const draw = draws === 1 ? 0 : c;
    const [start, end] = maskRangeFromDraws(
      widths[draw] as number,
      offsets[draw] as number,
      param,
      size,
    );
    starts[c] = start;
    ends[c] = end;
  }
  return { axis, starts, ends };
}

function applyMask(
  data: Float32Array,
  mask: AppliedMask,
  frames: number,
  channels: number,
  freqs: number,
  maskValue: number,
): void {
  for (let c = 0; c < channels; c++) {
    const start = mask.starts[c] as number;
    const end = mask.ends[c] as number;
    if (mask.axis === "time") {
      for (let t = start; t < end; t++) {
        const row = (t * channels + c) * freqs;
        data.fill(maskValue, row, row + freqs);
      }
    } else {
      for (let t = 0; t < frames; t++) {
        const row = (t * channels + c) * freqs;
        data.fill(maskValue, row + start, row + end);
      }
    }
  }
}
