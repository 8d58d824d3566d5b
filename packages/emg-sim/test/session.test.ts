import { charset, LabelData } from "@emgkit/emg-io";
import { describe, expect, it } from "vitest";
import { createUser, simulateSession } from "../src/index";
import { applyCorrections } from "./helpers";

const MINUTES = 0.25;

describe("simulateSession", () => {
  const session = simulateSession({ seed: 11, durationMinutes: MINUTES });

  it("is deterministic: the same seed gives the same bytes, another seed differs", () => {
    const again = simulateSession({ seed: 11, durationMinutes: MINUTES });
    expect(Buffer.from(again.emg.buffer).equals(Buffer.from(session.emg.buffer))).toBe(true);
    expect(Buffer.from(again.time.buffer).equals(Buffer.from(session.time.buffer))).toBe(true);
    expect(again.keystrokes).toEqual(session.keystrokes);
    expect(again.prompts).toEqual(session.prompts);
    const other = simulateSession({ seed: 12, durationMinutes: MINUTES });
    expect(Buffer.from(other.emg.buffer).equals(Buffer.from(session.emg.buffer))).toBe(false);
    expect(other.prompts).not.toEqual(session.prompts);
  });

  it("has the emg2qwerty shapes: (T, 2, 16) float32 at 2 kHz, unix-second times", () => {
    const frames = MINUTES * 60 * 2000;
    expect(session.time.length).toBe(frames);
    expect(session.emg.length).toBe(frames * 32);
    expect((session.time[1] ?? 0) - (session.time[0] ?? 0)).toBeCloseTo(1 / 2000, 6);
    expect(session.time[0]).toBeGreaterThan(1.6e9);
    expect(session.metadata.condition).toBe("on_keyboard");
    expect(session.metadata.durationMins).toBeCloseTo(MINUTES, 9);
    expect(session.metadata.sessionName).toMatch(/^\d{4}-\d\d-\d\d-\d{10}-keystrokes-sim@\d{8}$/);
    expect(session.emg.every(Number.isFinite)).toBe(true);
  });

  it("writes keystrokes and prompts like the keylogger: sorted, inside the recording", () => {
    expect(session.prompts.length).toBeGreaterThan(0);
    const t0 = session.time[0] ?? 0;
    const tEnd = session.time.at(-1) ?? 0;
    for (const [i, k] of session.keystrokes.entries()) {
      expect(Object.keys(k).sort()).toEqual(["end", "key", "start"]);
      expect(charset.hasKey(k.key)).toBe(true);
      expect(k.start).toBeGreaterThan(t0);
      expect(k.end).toBeLessThan(tEnd);
      if (i > 0) expect(k.start).toBeGreaterThanOrEqual(session.keystrokes[i - 1]?.start ?? 0);
    }
    for (const [i, p] of session.prompts.entries()) {
      expect(Object.keys(p).sort()).toEqual(["end", "payload", "start"]);
      expect(typeof p.payload?.text).toBe("string");
      if (i > 0) expect(p.start).toBeGreaterThan(session.prompts[i - 1]?.end ?? 0);
    }
  });

  it("types each prompt: keystroke text after backspaces equals prompt + enter", () => {
    for (const prompt of session.prompts) {
      const typed = LabelData.fromKeystrokes(session.keystrokes, {
        startT: prompt.start,
        endT: prompt.end,
      });
      expect(applyCorrections(typed.text)).toBe(LabelData.fromPrompt(prompt).text);
    }
  });

  it("keeps the user's identity and differs between sessions of one user", () => {
    const user = createUser(99);
    const a = simulateSession({ seed: 1, user, durationMinutes: 0.05 });
    const b = simulateSession({ seed: 2, user, durationMinutes: 0.05 });
    expect(a.metadata.user).toBe(user.id);
    expect(b.metadata.user).toBe(user.id);
    expect(a.metadata.sessionName).not.toBe(b.metadata.sessionName);
  });
});
