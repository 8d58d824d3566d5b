import { describe, expect, it } from "vitest";
import { shiftBandAlignment } from "../src/alignment-jitter.js";
import {
  type AugmentConfig,
  augmentWindow,
  EMG2QWERTY_EVAL_TRANSFORMS,
  EMG2QWERTY_TRAIN_TRANSFORMS,
  type LogSpectrogramFn,
} from "../src/augment-pipeline.js";
import { rollBandChannels } from "../src/band-rotation.js";
import { Random } from "../src/random.js";
import type { SpectrogramLike } from "../src/spec-augment.js";

/**
 * Stands in for `logSpectrogram` so the pipeline is tested on its own: frame t is the mean square
 * of samples [t * hop, t * hop + nFft) per channel, written into every one of nFft / 2 + 1 bins.
 */
const meanSquareSpectrogram: LogSpectrogramFn<SpectrogramLike & { channels: number }> = (
  { data, frames, channels },
  { nFft, hopLength },
) => {
  const outFrames = frames < nFft ? 0 : 1 + Math.floor((frames - nFft) / hopLength);
  const freqs = nFft / 2 + 1;
  const out = new Float32Array(outFrames * channels * freqs);
  for (let t = 0; t < outFrames; t++) {
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (let s = t * hopLength; s < t * hopLength + nFft; s++)
        sum += (data[s * channels + c] as number) ** 2;
      out.fill(sum / nFft + 1, (t * channels + c) * freqs, (t * channels + c + 1) * freqs);
    }
  }
  return { data: out, frames: outFrames, channels, freqs };
};

/** The raw window itself as a (T, 32, 1) "spectrogram", to see the raw-signal steps. */
const passThrough: LogSpectrogramFn<SpectrogramLike> = ({ data, frames }) => ({
  data,
  frames,
  freqs: 1,
});

function window(frames: number, seed: number): Float32Array {
  const random = new Random(seed);
  return Float32Array.from({ length: frames * 32 }, () => random.normal());
}

describe("augmentWindow", () => {
  const emg = window(2000, 1);

  it("is reproducible from a seed and differs between seeds", () => {
    const first = augmentWindow(
      emg,
      EMG2QWERTY_TRAIN_TRANSFORMS,
      meanSquareSpectrogram,
      new Random(5),
    );
    const again = augmentWindow(
      emg,
      EMG2QWERTY_TRAIN_TRANSFORMS,
      meanSquareSpectrogram,
      new Random(5),
    );
    expect(again).toEqual(first);
    const other = augmentWindow(
      emg,
      EMG2QWERTY_TRAIN_TRANSFORMS,
      meanSquareSpectrogram,
      new Random(6),
    );
    expect(other.draws).not.toEqual(first.draws);
  });

  it("applies rotation then jitter to the raw window before the spectrogram", () => {
    const config: AugmentConfig = {
      bandRotation: { offsets: [-1, 0, 1] },
      temporalJitter: { maxOffset: 120 },
      logSpectrogram: { nFft: 64, hopLength: 16 },
    };
    for (let seed = 0; seed < 10; seed++) {
      const { spectrogram, emgFrames, draws } = augmentWindow(
        emg,
        config,
        passThrough,
        new Random(seed),
      );
      const expected = shiftBandAlignment(
        rollBandChannels(emg, draws.bandOffsets ?? []),
        draws.jitterOffset ?? Number.NaN,
      );
      expect(emgFrames).toBe(expected.frames);
      expect(spectrogram.data).toEqual(expected.emg);
    }
  });

  it("runs emg2qwerty's train transforms: frames from the jittered length, masks within bounds", () => {
    const random = new Random(8);
    for (let call = 0; call < 20; call++) {
      const { spectrogram, emgFrames, draws } = augmentWindow(
        emg,
        EMG2QWERTY_TRAIN_TRANSFORMS,
        meanSquareSpectrogram,
        random,
      );
      expect(emgFrames).toBe(2000 - Math.abs(draws.jitterOffset ?? Number.NaN));
      expect(spectrogram.frames).toBe(1 + Math.floor((emgFrames - 64) / 16));
      expect(spectrogram.freqs).toBe(33);
      expect(spectrogram.channels).toBe(32);
      const masks = draws.masks ?? [];
      expect(masks.filter((mask) => mask.axis === "time").length).toBeLessThanOrEqual(3);
      expect(masks.filter((mask) => mask.axis === "freq").length).toBeLessThanOrEqual(2);
      for (const mask of masks) {
        for (let c = 0; c < 32; c++) {
          const width = (mask.ends[c] as number) - (mask.starts[c] as number);
          expect(width).toBeLessThan(mask.axis === "time" ? 25 : 4);
          expect(width).toBeGreaterThanOrEqual(0);
        }
      }
    }
  });

  it("gives each step its own stream: adding gain and noise leaves the other draws alone", () => {
    const plain = augmentWindow(
      emg,
      EMG2QWERTY_TRAIN_TRANSFORMS,
      meanSquareSpectrogram,
      new Random(3),
    );
    const withGain = augmentWindow(
      emg,
      {
        ...EMG2QWERTY_TRAIN_TRANSFORMS,
        channelGain: { minGain: 0.5, maxGain: 2 },
        noise: { snrDb: 20 },
      },
      meanSquareSpectrogram,
      new Random(3),
    );
    expect(withGain.draws.bandOffsets).toEqual(plain.draws.bandOffsets);
    expect(withGain.draws.jitterOffset).toBe(plain.draws.jitterOffset);
    expect(withGain.draws.masks).toEqual(plain.draws.masks);
    expect(withGain.draws.gains).toHaveLength(32);
    expect(withGain.draws.noiseStd).toHaveLength(32);
    expect(withGain.spectrogram.data).not.toEqual(plain.spectrogram.data);
  });

  it("eval transforms are the spectrogram alone", () => {
    const { spectrogram, draws } = augmentWindow(
      emg,
      EMG2QWERTY_EVAL_TRANSFORMS,
      meanSquareSpectrogram,
      new Random(1),
    );
    expect(draws).toEqual({});
    expect(spectrogram).toEqual(
      meanSquareSpectrogram({ data: emg, frames: 2000, channels: 32 }, { nFft: 64, hopLength: 16 }),
    );
  });
});
