import { describe, expect, it } from "vitest";
import { Random } from "../src/random.js";
import {
  type AppliedMask,
  maskRangeFromDraws,
  type SpectrogramLike,
  specAugment,
} from "../src/spec-augment.js";
import { readAugmentGolden } from "./augment-golden.js";

interface MaskGolden {
  cases: {
    axis: "time" | "freq";
    param: number;
    size: number;
    iid: boolean;
    u: number[];
    v: number[];
    ranges: [number, number][];
  }[];
}

const CHANNELS = 32;
const MASK_VALUE = -7;

/** `(frames, 2, 16, freqs)` of values >= 1, so a mask value of -7 stands out. */
function spectrogram(frames: number, freqs: number, seed = 1): SpectrogramLike {
  const random = new Random(seed);
  const data = Float32Array.from({ length: frames * CHANNELS * freqs }, () => 1 + random.next());
  return { data, frames, freqs };
}

/** Per channel, the masked indices along `axis` (a time step counts if its whole row is masked). */
function maskedIndices(spec: SpectrogramLike, axis: "time" | "freq", channel: number): number[] {
  const { data, frames, freqs } = spec;
  const size = axis === "time" ? frames : freqs;
  const other = axis === "time" ? freqs : frames;
  const masked: number[] = [];
  for (let i = 0; i < size; i++) {
    let all = true;
    for (let j = 0; j < other; j++) {
      const [t, f] = axis === "time" ? [i, j] : [j, i];
      if (data[(t * CHANNELS + channel) * freqs + f] !== MASK_VALUE) all = false;
    }
    if (all) masked.push(i);
  }
  return masked;
}

describe("maskRangeFromDraws", () => {
  it("gives torchaudio's [start, end) for the same draws (golden)", () => {
    const golden = readAugmentGolden<MaskGolden>("augment-masks.json");
    for (const { axis, param, size, iid, u, v, ranges } of golden.cases) {
      ranges.forEach(([start, end], channel) => {
        const draw = iid ? channel : 0;
        const [ourStart, ourEnd] = maskRangeFromDraws(
          u[draw] as number,
          v[draw] as number,
          param,
          size,
        );
        const ours = ourEnd > ourStart ? [ourStart, ourEnd] : [0, 0];
        expect(ours, `${axis} param ${param} size ${size} channel ${channel}`).toEqual([
          start,
          end,
        ]);
      });
    }
  });

  it("uses the unfloored width for the start and truncates toward zero", () => {
    // value = 0.99 * 10 = 9.9 -> width 9; start = trunc(0.999 * (10 - 9.9)) = 0.
    expect(maskRangeFromDraws(0.99, 0.999, 10, 10)).toEqual([0, 9]);
    // value 2.5 > size 2: minValue = 0.5 * -0.5 = -0.25 -> start 0 (not floor's -1), end 2.
    expect(maskRangeFromDraws(0.5, 0.5, 5, 2)).toEqual([0, 2]);
  });
});

describe("specAugment", () => {
  it("masks contiguous ranges narrower than the param, independently per channel", () => {
    const input = spectrogram(40, 33);
    const widths = new Set<number>();
    for (let seed = 0; seed < 60; seed++) {
      const out = specAugment(
        input,
        { nTimeMasks: 1, timeMaskParam: 25, maskValue: MASK_VALUE },
        new Random(seed),
      );
      expect(out.masks.length).toBeLessThanOrEqual(1);
      const mask = out.masks[0];
      const starts = new Set<number>();
      for (let c = 0; c < CHANNELS; c++) {
        const masked = maskedIndices(out, "time", c);
        const start = mask ? (mask.starts[c] as number) : 0;
        const end = mask ? (mask.ends[c] as number) : 0;
        expect(masked).toEqual(Array.from({ length: end - start }, (_, i) => start + i));
        expect(end - start).toBeLessThan(25);
        widths.add(end - start);
        starts.add(start);
      }
      if (mask) expect(starts.size).toBeGreaterThan(1);
    }
    expect(Math.max(...widths)).toBeGreaterThan(18);
  });

  it("leaves every value outside the masks unchanged and writes the mask value inside", () => {
    const input = spectrogram(30, 33, 4);
    const out = specAugment(
      input,
      { nTimeMasks: 3, timeMaskParam: 10, nFreqMasks: 2, freqMaskParam: 4, maskValue: MASK_VALUE },
      new Random(21),
    );
    const expected = input.data.slice();
    for (const mask of out.masks) {
      for (let c = 0; c < CHANNELS; c++) {
        for (let t = 0; t < 30; t++) {
          for (let f = 0; f < 33; f++) {
            const along = mask.axis === "time" ? t : f;
            if (along >= (mask.starts[c] as number) && along < (mask.ends[c] as number)) {
              expected[(t * CHANNELS + c) * 33 + f] = MASK_VALUE;
            }
          }
        }
      }
    }
    expect(out.data).toEqual(expected);
    expect(input.data.includes(MASK_VALUE)).toBe(false); // input not modified
  });

  it("draws mask counts uniformly over 0..n for each axis", () => {
    const input = spectrogram(20, 9);
    const counts = { time: new Map<number, number>(), freq: new Map<number, number>() };
    const random = new Random(8);
    for (let call = 0; call < 800; call++) {
      const { masks } = specAugment(
        input,
        { nTimeMasks: 3, timeMaskParam: 5, nFreqMasks: 2, freqMaskParam: 3 },
        random,
      );
      for (const axis of ["time", "freq"] as const) {
        const n = masks.filter((mask) => mask.axis === axis).length;
        counts[axis].set(n, (counts[axis].get(n) ?? 0) + 1);
      }
    }
    expect([...counts.time.keys()].sort()).toEqual([0, 1, 2, 3]);
    expect([...counts.freq.keys()].sort()).toEqual([0, 1, 2]);
    for (const count of counts.time.values()) expect(count).toBeGreaterThan(150); // ~200 each
    for (const count of counts.freq.values()) expect(count).toBeGreaterThan(210); // ~267 each
  });

  it("masks all channels alike when not iid", () => {
    const input = spectrogram(40, 33);
    for (let seed = 0; seed < 20; seed++) {
      const { masks } = specAugment(
        input,
        {
          nTimeMasks: 2,
          timeMaskParam: 25,
          iidTimeMasks: false,
          nFreqMasks: 2,
          freqMaskParam: 4,
          iidFreqMasks: false,
        },
        new Random(seed),
      );
      for (const mask of masks) {
        expect(new Set(mask.starts).size).toBe(1);
        expect(new Set(mask.ends).size).toBe(1);
      }
    }
  });

  it("frequency masks cover [start, end) of every frame of the channel", () => {
    const input = spectrogram(12, 33, 2);
    const random = new Random(1);
    let out = specAugment(
      input,
      { nFreqMasks: 1, freqMaskParam: 4, maskValue: MASK_VALUE },
      random,
    );
    while (out.masks.length === 0) {
      out = specAugment(input, { nFreqMasks: 1, freqMaskParam: 4, maskValue: MASK_VALUE }, random);
    }
    const mask = out.masks[0] as AppliedMask;
    for (let c = 0; c < CHANNELS; c++) {
      const start = mask.starts[c] as number;
      const end = mask.ends[c] as number;
      expect(maskedIndices(out, "freq", c)).toEqual(
        Array.from({ length: end - start }, (_, i) => start + i),
      );
      expect(end - start).toBeLessThan(4);
    }
  });

  it("is reproducible from a seed and does nothing with the defaults", () => {
    const input = spectrogram(25, 33);
    const options = { nTimeMasks: 3, timeMaskParam: 25, nFreqMasks: 2, freqMaskParam: 4 };
    expect(specAugment(input, options, new Random(77))).toEqual(
      specAugment(input, options, new Random(77)),
    );
    const untouched = specAugment(input, {}, new Random(77));
    expect(untouched.masks).toEqual([]);
    expect(untouched.data).toEqual(input.data);
  });
});
