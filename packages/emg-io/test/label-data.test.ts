import { describe, expect, it } from "vitest";
import { LabelData } from "../src/label-data.js";
import type { Keystroke, Prompt } from "../src/session-types.js";
import { readGolden } from "./golden.js";

interface WindowsGolden {
  keystrokes: Keystroke[];
  prompts: Prompt[];
  windows: Array<{
    start_t: number | null;
    end_t: number | null;
    keystrokes: { text: string; labels: number[]; timestamps: number[] };
    prompts: { text: string; labels: number[] };
  }>;
  from_prompt: Array<{ prompt: string | Prompt; enforce_newline: boolean; text: string }>;
}

const golden = readGolden<WindowsGolden>("label-windows.json");

describe("LabelData against emg2qwerty", () => {
  // Cases of emg2qwerty's tests/data_test.py.
  const cases: Array<[string, number[]]> = [
    ["aa", [0, 0]],
    ["ab", [0, 1]],
    ["", []],
    ["\n\r\b\x08", [95, 95, 94, 94]],
    ["⏎\na⌫\b", [95, 95, 0, 94, 94]],
    ["\u2019\u201c\u201d\u2014", [68, 63, 63, 74]],
  ];
  it.each(cases)("from_str(%j) and from_labels agree", (text, labels) => {
    const fromStr = LabelData.fromStr(text);
    const fromLabels = LabelData.fromLabels(labels);
    expect(fromStr.equals(fromLabels)).toBe(true);
    expect([...fromStr.labels]).toEqual(labels);
    expect([...fromLabels.labels]).toEqual(labels);
    expect(LabelData.fromStr(text + text).equals(fromStr.concat(fromLabels))).toBe(true);
  });

  it(`labels ${golden.windows.length} keystroke and prompt windows exactly`, () => {
    for (const w of golden.windows) {
      const window = { startT: w.start_t ?? -Infinity, endT: w.end_t ?? Infinity };
      const where = JSON.stringify(w);
      const fromKeys = LabelData.fromKeystrokes(golden.keystrokes, window);
      expect(fromKeys.text, where).toBe(w.keystrokes.text);
      expect([...fromKeys.labels], where).toEqual(w.keystrokes.labels);
      expect([...(fromKeys.timestamps ?? [])], where).toEqual(w.keystrokes.timestamps);
      const fromPrompts = LabelData.fromPrompts(golden.prompts, window);
      expect(fromPrompts.text, where).toBe(w.prompts.text);
      expect([...fromPrompts.labels], where).toEqual(w.prompts.labels);
      expect(fromPrompts.timestamps).toBeNull();
    }
  });

  it("builds single prompts with and without the enforced newline", () => {
    for (const p of golden.from_prompt) {
      expect(LabelData.fromPrompt(p.prompt, p.enforce_newline).text, JSON.stringify(p)).toBe(
        p.text,
      );
    }
  });

  it("keeps timestamps from single keys and drops keys outside the charset", () => {
    const shift = LabelData.fromKey({ key: "Key.shift", start: 5, end: 6 });
    expect(shift.text).toBe("⇧");
    expect([...(shift.timestamps ?? [])]).toEqual([5]);
    expect(LabelData.fromKey("Key.tab").text).toBe("");
    expect(LabelData.fromKey("⌫", 1).text).toBe("⌫");
    expect(LabelData.fromKey("a").timestamps).toBeNull();
  });

  it("concatenates timestamps only when both sides have them", () => {
    const a = LabelData.fromStr("ab", [1, 2]);
    const b = LabelData.fromStr("c", [3]);
    expect([...(a.concat(b).timestamps ?? [])]).toEqual([1, 2, 3]);
    expect(a.concat(LabelData.fromStr("c")).timestamps).toBeNull();
    expect(a.concat(b).toString()).toBe("abc");
    expect(LabelData.fromStr("a\nb").toString()).toBe("a\nb");
  });

  it("rejects timestamps of the wrong length or order", () => {
    expect(() => LabelData.fromStr("ab", [1])).toThrow(/1 timestamps for 2 characters/);
    expect(() => LabelData.fromStr("ab", [2, 1])).toThrow(/not monotonic at index 1/);
  });
});
