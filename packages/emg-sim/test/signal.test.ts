import { Random } from "@emgkit/emg-transforms";
import { describe, expect, it } from "vitest";
import {
  addRecordingNoise,
  butterworthHighPass,
  drawRecordingNoise,
  filterChannels,
  keyPlacement,
  simulateSession,
  typedKey,
} from "../src/index";
import { rms } from "./helpers";

/** Amplitude of frequency `hz` in channel `channel` of a (T, 32) buffer (Goertzel-style DFT bin). */
function amplitudeAt(data: Float32Array, frames: number, channel: number, hz: number): number {
  let re = 0;
  let im = 0;
  for (let t = 0; t < frames; t++) {
    const v = data[t * 32 + channel] ?? 0;
    re += v * Math.cos((2 * Math.PI * hz * t) / 2000);
    im += v * Math.sin((2 * Math.PI * hz * t) / 2000);
  }
  return (2 * Math.hypot(re, im)) / frames;
}

describe("signal", () => {
  for (const seed of [1, 3]) {
    it(`rises on the typing hand's band around its presses (seed ${seed})`, () => {
      const s = simulateSession({ seed, durationMinutes: 0.5 });
      const t0 = s.time[0] ?? 0;
      const first = Math.round(((s.keystrokes[0]?.start ?? 0) - t0) * 2000);
      const rest = [rms(s.emg, 0, first - 400, 0, 16), rms(s.emg, 0, first - 400, 16, 32)];
      // Mean RMS of each band in [-60 ms, +20 ms] around presses of each hand.
      const sums = [
        [0, 0],
        [0, 0],
      ];
      const counts = [0, 0];
      const profiles = new Map<string, { sum: Float64Array; count: number }>();
      for (const k of s.keystrokes) {
        if (k.key === "Key.space" || k.key === "Key.shift") continue;
        const p = keyPlacement(typedKey(k.key)?.cap ?? k.key);
        const i = Math.round((k.start - t0) * 2000);
        counts[p.hand] = (counts[p.hand] ?? 0) + 1;
        for (const band of [0, 1]) {
          const row = sums[p.hand] as number[];
          row[band] = (row[band] ?? 0) + rms(s.emg, i - 120, i + 40, band * 16, band * 16 + 16);
        }
        const id = `${p.hand}-${p.finger}`;
        const profile = profiles.get(id) ?? { sum: new Float64Array(16), count: 0 };
        for (let c = 0; c < 16; c++) {
          const channel = p.hand * 16 + c;
          profile.sum[c] =
            (profile.sum[c] ?? 0) + rms(s.emg, i - 120, i + 40, channel, channel + 1);
        }
        profile.count++;
        profiles.set(id, profile);
      }
      for (const hand of [0, 1]) {
        const other = 1 - hand;
        const own = (sums[hand]?.[hand] ?? 0) / (counts[hand] ?? 1) / (rest[hand] ?? 1);
        const across = (sums[hand]?.[other] ?? 0) / (counts[hand] ?? 1) / (rest[other] ?? 1);
        expect(own).toBeGreaterThan(1.4);
        expect(own).toBeGreaterThan(across);
      }
      // Fingers of one hand peak on different electrodes.
      for (const hand of [0, 1]) {
        const peaks = new Set<number>();
        for (const [id, { sum, count }] of profiles) {
          if (!id.startsWith(`${hand}-`) || count < 4) continue;
          peaks.add(sum.indexOf(Math.max(...sum)));
        }
        expect(peaks.size).toBeGreaterThan(1);
      }
    });
  }

  it("has 60 Hz hum and harmonics over the noise, kept by the high-pass, which removes offsets", () => {
    const frames = 8000;
    const emg = new Float32Array(frames * 32);
    const random = new Random(5);
    addRecordingNoise(emg, frames, drawRecordingNoise(2, 32, random), 2000, random);
    const hum = amplitudeAt(emg, frames, 3, 60);
    expect(hum).toBeGreaterThan(5 * amplitudeAt(emg, frames, 3, 50));
    expect(hum).toBeGreaterThan(5 * amplitudeAt(emg, frames, 3, 70));
    expect(amplitudeAt(emg, frames, 3, 120)).toBeGreaterThan(2 * amplitudeAt(emg, frames, 3, 110));
    const mean = (c: number) => {
      let sum = 0;
      for (let t = 0; t < frames; t++) sum += emg[t * 32 + c] ?? 0;
      return sum / frames;
    };
    expect(Math.max(...Array.from({ length: 32 }, (_, c) => Math.abs(mean(c))))).toBeGreaterThan(
      50,
    );

    filterChannels(emg, frames, 32, butterworthHighPass(40, 2000));
    expect(amplitudeAt(emg, frames, 3, 60)).toBeGreaterThan(0.7 * hum);
    for (let c = 0; c < 32; c++) expect(Math.abs(mean(c))).toBeLessThan(1);
  });

  it("stays in a realistic range: tens of microvolts, bursts well under a millivolt", () => {
    const s = simulateSession({ seed: 2, durationMinutes: 0.25 });
    let peak = 0;
    for (const v of s.emg) peak = Math.max(peak, Math.abs(v));
    const overall = rms(s.emg, 0, s.time.length, 0, 32);
    expect(overall).toBeGreaterThan(1);
    expect(overall).toBeLessThan(50);
    expect(peak).toBeLessThan(1000);
  });
});
