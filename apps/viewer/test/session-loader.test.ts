import { encodeSession, openSession, type Session } from "@emgkit/emg-io";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOAD_ROWS, SessionLoad } from "../src/session/session-loader.js";

/** A synthetic session of `length` samples (not a multiple of the read size), 2 kHz. */
async function syntheticSession(length: number): Promise<Session> {
  const t0 = 1_620_000_000;
  const emg = new Float32Array(length * 32);
  for (let i = 0; i < emg.length; i++) emg[i] = Math.sin(i * 0.001) * ((i % 32) + 1) + (i % 7);
  const bytes = encodeSession({
    metadata: { sessionName: "synthetic", user: "u", condition: "on_keyboard", durationMins: 1 },
    keystrokes: [
      { key: "a", start: t0 + 1, end: t0 + 1.1 },
      { key: "Key.space", start: t0 + 40, end: t0 + 40.1 },
    ],
    prompts: [{ start: t0 + 0.5, end: t0 + 45, payload: { text: "a b" } }],
    time: Float64Array.from({ length }, (_, i) => t0 + i / 2000),
    emg,
  });
  return openSession(bytes, "synthetic.hdf5");
}

describe("SessionLoad", () => {
  const length = 3 * LOAD_ROWS + 1234;
  let session: Session;
  beforeAll(async () => {
    session = await syntheticSession(length);
  });
  afterAll(() => session?.close());

  it("reads the first window at once and the rest step by step, to the same pyramid as one pass", () => {
    const load = new SessionLoad({ name: "synthetic.hdf5", session });
    const data = load.data;
    expect(data.read).toBe(LOAD_ROWS);
    expect(load.done).toBe(false);
    // Before the read is through, times past it are extrapolated at 2 kHz.
    expect(data.times.sampleAt(data.times.startTime + 40)).toBeCloseTo(80_000, 2);
    let steps = 0;
    while (!load.step(0)) steps++;
    expect(steps).toBe(2);
    expect(data.read).toBe(length);
    expect(data.times.complete).toBe(true);

    const { emg } = session.read(0, length);
    for (const level of data.pyramid.levels) {
      for (const c of [0, 13, 31]) {
        for (const b of [0, 1, level.buckets - 1]) {
          let lo = Number.POSITIVE_INFINITY;
          let hi = Number.NEGATIVE_INFINITY;
          for (let s = b * level.factor; s < Math.min(length, (b + 1) * level.factor); s++) {
            lo = Math.min(lo, emg[s * 32 + c] as number);
            hi = Math.max(hi, emg[s * 32 + c] as number);
          }
          expect(level.min[c * level.buckets + b]).toBe(lo);
          expect(level.max[c * level.buckets + b]).toBe(hi);
        }
      }
    }
    // The first block is already in the cache.
    data.cache.block(0);
    expect(data.cache.reads).toBe(0);
    expect(data.amplitudes.every((a) => a > 0)).toBe(true);
  });
});
