import { charset } from "../charset.js";
import {
  CHANNELS_PER_BAND,
  type Keystroke,
  NUM_BANDS,
  type Prompt,
  SAMPLE_RATE_HZ,
  type SessionData,
} from "../session-types.js";

/** Keys typed by the left hand in touch typing; the rest go to the right band. */
const LEFT_HAND = new Set(
  "qwertasdfgzxcvb12345`~!@#$%QWERTASDFGZXCVB".split("").concat(["Key.shift"]),
);

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A small session for the demo: prompts typed at 120-300 ms per key, each key
 * a 60 ms burst of noise on the electrodes of the hand that types it, over
 * background noise. Not a realistic simulator (that is @emgkit/emg-sim), just
 * enough to exercise writing and reading.
 */
export function makeDemoSession(texts: readonly string[], seed = 1): SessionData {
  const rand = random(seed);
  const t0 = 1_700_000_000;
  const keystrokes: Keystroke[] = [];
  const prompts: Prompt[] = [];
  let t = t0 + 0.5;
  for (const text of texts) {
    const promptStart = t;
    for (const key of charset.strToKeys(`${text}⏎`)) {
      if (key.length === 1 && key !== key.toLowerCase()) {
        keystrokes.push({ key: "Key.shift", start: t, end: t + 0.2 });
        t += 0.06;
      }
      keystrokes.push({ key, start: t, end: t + 0.08 });
      t += 0.12 + 0.18 * rand();
    }
    prompts.push({ start: promptStart, end: t, payload: { text } });
    t += 1;
  }
  const samples = Math.ceil((t - t0) * SAMPLE_RATE_HZ);
  const perRow = NUM_BANDS * CHANNELS_PER_BAND;
  const time = new Float64Array(samples);
  const emg = new Float32Array(samples * perRow);
  for (let i = 0; i < samples; i++) {
    time[i] = t0 + i / SAMPLE_RATE_HZ;
    for (let c = 0; c < perRow; c++) emg[i * perRow + c] = 2 * (rand() - 0.5);
  }
  for (const { key, start } of keystrokes) {
    const band = LEFT_HAND.has(key) ? 0 : 1;
    const first = Math.round((start - 0.03 - t0) * SAMPLE_RATE_HZ);
    for (let i = Math.max(0, first); i < Math.min(samples, first + 0.06 * SAMPLE_RATE_HZ); i++) {
      const row = i * perRow + band * CHANNELS_PER_BAND;
      for (let c = 0; c < CHANNELS_PER_BAND; c++)
        emg[row + c] = (emg[row + c] as number) + 40 * (rand() - 0.5);
    }
  }
  return {
    metadata: {
      sessionName: "emgkit-demo",
      user: "demo-user",
      condition: "on_keyboard",
      durationMins: (t - t0) / 60,
    },
    keystrokes,
    prompts,
    time,
    emg,
  };
}
