import { charset, LabelData } from "@emgkit/emg-io";
import { Random } from "@emgkit/emg-transforms";
import { describe, expect, it } from "vitest";
import { createUser, plannedActions, typePrompt } from "../src/index";
import { applyCorrections } from "./helpers";

const TEXT = 'The quick brown fox, said "Dr. Smith", jumps over 12 lazy dogs? YES.';

describe("typing model", () => {
  it("plans typos as neighbour key, 0-2 more keys, that many + 1 backspaces, retype", () => {
    const actions = plannedActions(TEXT.toLowerCase(), 0.3, new Random(4)).map((a) => a.char);
    expect(actions.filter((c) => c === "\b").length).toBeGreaterThan(0);
    let typed = "";
    for (const char of actions) typed = char === "\b" ? typed.slice(0, -1) : typed + char;
    expect(typed).toBe(`${TEXT.toLowerCase()}\n`);
    for (let i = 0; i < actions.length; i++) {
      if (actions[i] !== "\b" || actions[i - 1] === "\b") continue;
      let run = 0;
      while (actions[i + run] === "\b") run++;
      expect(run).toBeGreaterThanOrEqual(1);
      expect(run).toBeLessThanOrEqual(3);
    }
  });

  it("types keystrokes sorted by press, released after press, within the prompt", () => {
    const user = createUser(7);
    const { prompt, presses } = typePrompt(
      TEXT,
      1000,
      { ...user.typing, typoRate: 0.1 },
      new Random(1),
    );
    expect(prompt.payload?.text).toBe(TEXT);
    for (let i = 0; i < presses.length; i++) {
      const press = presses[i];
      if (press === undefined) continue;
      expect(press.end).toBeGreaterThan(press.start);
      expect(press.start).toBeGreaterThanOrEqual(prompt.start);
      expect(press.end).toBeLessThanOrEqual(prompt.end);
      if (i > 0) expect(press.start).toBeGreaterThanOrEqual(presses[i - 1]?.start ?? 0);
      expect(charset.hasKey(press.key)).toBe(true);
    }
    expect(presses.at(-1)?.key).toBe("Key.enter");
  });

  it("holds shift over every capital and shifted symbol, and releases it before the next key", () => {
    const { presses } = typePrompt(TEXT, 0, createUser(3).typing, new Random(2));
    const shifts = presses.filter((p) => p.key === "Key.shift");
    const needShift = presses.filter((p) => /^[A-Z!"?]$/.test(p.key));
    expect(needShift.length).toBeGreaterThan(5);
    for (const press of needShift) {
      expect(shifts.some((s) => s.start < press.start && s.end > press.start)).toBe(true);
    }
    for (const press of presses.filter((p) => /^[a-z ]$|^Key\.space$/.test(p.key))) {
      expect(shifts.some((s) => s.start < press.start && s.end > press.start)).toBe(false);
    }
  });

  it("gives text that, after its backspaces, is the prompt and enter (LabelData.fromKeystrokes)", () => {
    const { presses } = typePrompt(
      TEXT,
      0,
      { ...createUser(5).typing, typoRate: 0.2 },
      new Random(3),
    );
    const text = LabelData.fromKeystrokes(presses).text;
    expect(text).toContain("⌫");
    expect(applyCorrections(text)).toBe(`${charset.cleanStr(TEXT)}⏎`);
  });

  it("types at 120-300 ms per key on average", () => {
    for (const seed of [1, 2, 3, 4]) {
      const { presses } = typePrompt(TEXT, 0, createUser(seed).typing, new Random(seed));
      const keys = presses.filter((p) => p.key !== "Key.shift");
      const perKey = ((keys.at(-1)?.start ?? 0) - (keys[0]?.start ?? 0)) / (keys.length - 1);
      expect(perKey).toBeGreaterThan(0.1);
      expect(perKey).toBeLessThan(0.45);
    }
  });
});
