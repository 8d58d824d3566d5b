/**
 * The deterministic session behind `fixtures/emgkit-written.hdf5`. Values come
 * from integer arithmetic only, so every engine builds the same bytes.
 */
import type { SessionData } from "../src/session-types.js";

export const FIXTURE_ROWS = 3000;
/** 94 chunks: more than one B-tree node holds (64), so the tree has two levels. */
export const FIXTURE_CHUNK_ROWS = 32;

export function writerFixtureSession(): SessionData {
  const start = 1_620_000_000;
  const time = new Float64Array(FIXTURE_ROWS);
  for (let i = 0; i < FIXTURE_ROWS; i++) {
    // Every 500th sample repeats its predecessor's time: equal times are allowed.
    time[i] = start + (i - Math.floor(i / 500)) / 2000;
  }
  const emg = new Float32Array(FIXTURE_ROWS * 32);
  let state = 12345;
  for (let i = 0; i < emg.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    emg[i] = ((state >>> 8) - 0x80_0000) / 4096;
  }
  return {
    metadata: {
      sessionName: "emgkit-writer-fixture",
      user: "fixture-user",
      condition: "on_keyboard",
      durationMins: FIXTURE_ROWS / 2000 / 60,
    },
    keystrokes: [
      { key: "c", start: start + 0.1, end: start + 0.15 },
      { key: "a", start: start + 0.3, end: start + 0.34 },
      { key: "Key.backspace", start: start + 0.5, end: start + 0.55 },
      { key: "é", start: start + 0.9, end: start + 0.95 },
    ],
    prompts: [
      { start: start + 0.05, end: start + 1.0, payload: { text: "café ⌫" } },
      { start: start + 1.1, end: start + 1.4, payload: null },
    ],
    time,
    emg,
  };
}
