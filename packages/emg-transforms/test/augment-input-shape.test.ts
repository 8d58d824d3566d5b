import { describe, expect, it } from "vitest";
import {
  type AugmentConfig,
  augmentWindow,
  EMG2QWERTY_TRAIN_TRANSFORMS,
  type LogSpectrogramFn,
  transformsInputShape,
} from "../src/augment-pipeline.js";
import { rollBandChannels } from "../src/band-rotation.js";
import { Random } from "../src/random.js";
import { resampleEmg, spectrogramParamsForRate } from "../src/resample.js";
import type { SpectrogramLike } from "../src/spec-augment.js";
import { logSpectrogram, spectrogramFrames } from "../src/spectrogram.js";
import { positionalWindow } from "./augment-golden.js";

/** The raw window itself as a (T, C, 1) "spectrogram", to see the raw-signal steps. */
const passThrough: LogSpectrogramFn<SpectrogramLike & { channels: number }> = ({
  data,
  frames,
  channels,
}) => ({ data, frames, channels, freqs: 1 });

function noise(frames: number, seed: number): Float32Array {
  const random = new Random(seed);
  return Float32Array.from({ length: frames * 32 }, () => random.normal());
}

const T = 2000; // 1 s at 2 kHz

describe("augmentWindow with electrodes and sampleRate", () => {
  const emg = noise(T, 3);

  it.each([8, 4, 1])("%i electrodes per band: (T', 2, k, 33)", (count) => {
    const config: AugmentConfig = {
      electrodes: { count },
      logSpectrogram: { nFft: 64, hopLength: 16 },
    };
    const { spectrogram, emgFrames } = augmentWindow(emg, config, logSpectrogram, new Random(0));
    const frames = spectrogramFrames(T, { nFft: 64, hopLength: 16 });
    expect(emgFrames).toBe(T);
    expect(spectrogram.frames).toBe(frames);
    expect(spectrogram.channels).toBe(2 * count);
    expect(spectrogram.freqs).toBe(33);
    expect(spectrogram.data).toHaveLength(frames * 2 * count * 33);
    expect(transformsInputShape(config)).toEqual({ bands: 2, electrodes: count, freqBins: 33 });
  });

  it.each([1000, 500, 250])(
    "%i Hz with spectrogramParamsForRate: as many frames as at 2 kHz (125 Hz frame rate)",
    (rate) => {
      const params = spectrogramParamsForRate(rate);
      const config: AugmentConfig = { sampleRate: rate, logSpectrogram: params };
      const { spectrogram, emgFrames } = augmentWindow(emg, config, logSpectrogram, new Random(0));
      const freqs = params.nFft / 2 + 1;
      expect(emgFrames).toBe((T * rate) / 2000);
      expect(spectrogram.frames).toBe(spectrogramFrames(T, { nFft: 64, hopLength: 16 }));
      expect(spectrogram.channels).toBe(32);
      expect(spectrogram.freqs).toBe(freqs);
      expect(spectrogram.data).toHaveLength(spectrogram.frames * 32 * freqs);
      expect(transformsInputShape(config)).toEqual({ bands: 2, electrodes: 16, freqBins: freqs });
    },
  );

  it("electrodes and 500 Hz together: (T', 2, 4, 9)", () => {
    const config: AugmentConfig = {
      electrodes: { count: 4 },
      sampleRate: 500,
      logSpectrogram: { nFft: 16, hopLength: 4 },
    };
    const { spectrogram } = augmentWindow(emg, config, logSpectrogram, new Random(0));
    expect([spectrogram.channels, spectrogram.freqs]).toEqual([8, 9]);
    expect(spectrogram.frames).toBe(spectrogramFrames(T, { nFft: 64, hopLength: 16 }));
    expect(transformsInputShape(config)).toEqual({ bands: 2, electrodes: 4, freqBins: 9 });
  });

  it("keeps the chosen electrodes of both bands, spread by default, contiguous from start", () => {
    const raw = positionalWindow(10); // value t * 100 + band * 16 + electrode
    const spread = augmentWindow(
      raw,
      { electrodes: { count: 4 }, logSpectrogram: { nFft: 1, hopLength: 1 } },
      passThrough,
      new Random(0),
    );
    expect(spread.draws.electrodes).toEqual([0, 4, 8, 12]);
    expect(Array.from(spread.spectrogram.data.subarray(0, 8))).toEqual([
      0, 4, 8, 12, 16, 20, 24, 28,
    ]);
    expect(Array.from(spread.spectrogram.data.subarray(9 * 8, 10 * 8))).toEqual([
      900, 904, 908, 912, 916, 920, 924, 928,
    ]);
    const contiguous = augmentWindow(
      raw,
      {
        electrodes: { count: 3, strategy: "contiguous", start: 14 },
        logSpectrogram: { nFft: 1, hopLength: 1 },
      },
      passThrough,
      new Random(0),
    );
    expect(Array.from(contiguous.spectrogram.data.subarray(6, 12))).toEqual([
      114, 115, 100, 130, 131, 116,
    ]);
    expect(Array.from(contiguous.spectrogram.data.subarray(0, 6))).toEqual([14, 15, 0, 30, 31, 16]);
  });

  it("rotates bands over the kept electrodes", () => {
    const raw = positionalWindow(4);
    const config: AugmentConfig = {
      electrodes: { count: 4 },
      bandRotation: { offsets: [-1, 1] },
      logSpectrogram: { nFft: 1, hopLength: 1 },
    };
    const { spectrogram, draws } = augmentWindow(raw, config, passThrough, new Random(9));
    const kept = augmentWindow(
      raw,
      { electrodes: { count: 4 }, logSpectrogram: config.logSpectrogram },
      passThrough,
      new Random(9),
    ).spectrogram.data;
    const offsets = draws.bandOffsets as number[];
    expect(spectrogram.data).toEqual(rollBandChannels(kept, offsets, { channels: 4 }));
  });

  it("resample then spectrogram equals resampleEmg then logSpectrogram by hand", () => {
    const params = spectrogramParamsForRate(500);
    const { spectrogram } = augmentWindow(
      emg,
      { sampleRate: 500, logSpectrogram: params },
      logSpectrogram,
      new Random(0),
    );
    const low = resampleEmg(emg, { toRate: 500 });
    const expected = logSpectrogram({ data: low.emg, frames: low.frames, channels: 32 }, params);
    expect(spectrogram.data).toEqual(expected.data);
  });

  it("resamples after the jitter (maxOffset in 2 kHz samples) and before the gain", () => {
    const config: AugmentConfig = {
      temporalJitter: { maxOffset: 120 },
      sampleRate: 250,
      channelGain: { minGain: 0.5, maxGain: 2 },
      logSpectrogram: { nFft: 1, hopLength: 1 },
    };
    const { spectrogram, emgFrames, draws } = augmentWindow(
      emg,
      config,
      passThrough,
      new Random(4),
    );
    const at2k = augmentWindow(
      emg,
      { temporalJitter: { maxOffset: 120 }, logSpectrogram: { nFft: 1, hopLength: 1 } },
      passThrough,
      new Random(4),
    );
    // Same jitter draw as without resampling; then 2 kHz frames / 8, rounded up.
    expect(draws.jitterOffset).toBe(at2k.draws.jitterOffset);
    expect(emgFrames).toBe(Math.ceil(at2k.emgFrames / 8));
    const low = resampleEmg(at2k.spectrogram.data, { toRate: 250 });
    const gains = draws.gains as Float64Array;
    expect(gains).toHaveLength(32);
    const expected = low.emg.map((v, i) => v * (gains[i % 32] as number));
    expect(spectrogram.data).toEqual(expected);
  });

  it("leaves the existing steps' draws unchanged", () => {
    const plain = augmentWindow(emg, EMG2QWERTY_TRAIN_TRANSFORMS, logSpectrogram, new Random(7));
    const extended = augmentWindow(
      emg,
      { ...EMG2QWERTY_TRAIN_TRANSFORMS, electrodes: { count: 8 }, sampleRate: 1000 },
      logSpectrogram,
      new Random(7),
    );
    expect(extended.draws.bandOffsets).toEqual(plain.draws.bandOffsets);
    expect(extended.draws.jitterOffset).toEqual(plain.draws.jitterOffset);
    // All 16 electrodes at 2 kHz: the same window as without the steps, every draw the same.
    const identity = augmentWindow(
      emg,
      {
        ...EMG2QWERTY_TRAIN_TRANSFORMS,
        electrodes: { count: 16, strategy: "contiguous" },
        sampleRate: 2000,
      },
      logSpectrogram,
      new Random(7),
    );
    expect(identity.draws.masks).toEqual(plain.draws.masks);
    expect(identity.spectrogram.data).toEqual(plain.spectrogram.data);
  });

  it("rejects a rate that does not divide 2000 Hz and a bad electrode count", () => {
    const bad: AugmentConfig = { sampleRate: 300, logSpectrogram: { nFft: 64, hopLength: 16 } };
    expect(() => augmentWindow(emg, bad, logSpectrogram, new Random(0))).toThrow(
      /sampleRate must divide 2000 Hz/,
    );
    expect(() => transformsInputShape(bad)).toThrow(RangeError);
    expect(() =>
      transformsInputShape({
        electrodes: { count: 17 },
        logSpectrogram: { nFft: 64, hopLength: 16 },
      }),
    ).toThrow(/k must be an integer in 1..16/);
  });

  it("transformsInputShape of emg2qwerty's transforms: 16 electrodes x 33 bins (528 features)", () => {
    const shape = transformsInputShape(EMG2QWERTY_TRAIN_TRANSFORMS);
    expect(shape).toEqual({ bands: 2, electrodes: 16, freqBins: 33 });
    expect(shape.electrodes * shape.freqBins).toBe(528);
  });
});
