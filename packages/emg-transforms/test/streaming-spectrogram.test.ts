import { describe, expect, it } from "vitest";
import { Random } from "../src/random.js";
import { logSpectrogram } from "../src/spectrogram.js";
import { StreamingSpectrogram } from "../src/streaming-spectrogram.js";
import { deterministicSignal } from "./deterministic-signal.js";

describe("StreamingSpectrogram", () => {
  const settings = [
    { nFft: 64, hopLength: 16 },
    { nFft: 16, hopLength: 5 },
    { nFft: 8, hopLength: 12 }, // hop longer than the window: samples between frames are skipped
    { nFft: 4, hopLength: 1 },
  ];
  it.each(settings)(
    "equals the batch spectrogram for random chunk sizes (nFft $nFft, hop $hopLength)",
    (options) => {
      const channels = 3;
      const signal = deterministicSignal(1234, channels, 9);
      const batch = logSpectrogram(signal, options);
      const random = new Random(options.nFft * 100 + options.hopLength);
      const stream = new StreamingSpectrogram(channels, options);
      const parts: Float32Array[] = [];
      let frames = 0;
      for (let t = 0; t < signal.frames; ) {
        const size = random.int(0, 90);
        const expected = stream.framesAfter(Math.min(size, signal.frames - t));
        const out = stream.push(
          signal.data.subarray(t * channels, Math.min(signal.frames, t + size) * channels),
        );
        expect(out.frames).toBe(expected);
        frames += out.frames;
        parts.push(out.data);
        t += size;
      }
      expect(frames).toBe(batch.frames);
      const joined = new Float32Array(batch.data.length);
      let at = 0;
      for (const part of parts) {
        joined.set(part, at);
        at += part.length;
      }
      expect(joined).toEqual(batch.data);
    },
  );

  it("starts over after reset and rejects partial samples", () => {
    const signal = deterministicSignal(200, 2, 3);
    const stream = new StreamingSpectrogram(2, { nFft: 64, hopLength: 16 });
    stream.push(signal.data.subarray(0, 100));
    stream.reset();
    expect(stream.push(signal.data).data).toEqual(
      logSpectrogram(signal, { nFft: 64, hopLength: 16 }).data,
    );
    expect(() => stream.push(new Float32Array(3))).toThrow(/not whole samples of 2 channels/);
  });
});
