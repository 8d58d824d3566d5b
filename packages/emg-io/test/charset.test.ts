import { describe, expect, it } from "vitest";
import { CharacterSet, charset } from "../src/charset.js";
import { transliterateChar } from "../src/transliterate.js";
import { readGolden } from "./golden.js";

interface CharsetGolden {
  len: number;
  num_classes: number;
  null_class: number;
  allowed_keys: string[];
  allowed_unicodes: number[];
  allowed_chars: string[];
  str: string;
  strings: Array<{
    input: string;
    clean_str: string;
    normalize_str: string;
    str_to_keys: string[];
    str_to_labels: number[];
    labels_to_str: string;
  }>;
  key_lists: Array<{
    input: string[];
    normalize_keys: string[];
    clean_keys: string[];
    keys_to_str: string;
  }>;
}

const golden = readGolden<CharsetGolden>("charset.json");

describe("charset against emg2qwerty's CharacterSet", () => {
  it("has the same keys, unicodes, chars and class counts", () => {
    expect(charset.size).toBe(golden.len);
    expect(charset.numClasses).toBe(99);
    expect(charset.numClasses).toBe(golden.num_classes);
    expect(charset.nullClass).toBe(98);
    expect(charset.nullClass).toBe(golden.null_class);
    expect(charset.allowedKeys).toEqual(golden.allowed_keys);
    expect(charset.allowedUnicodes).toEqual(golden.allowed_unicodes);
    expect(charset.allowedChars).toEqual(golden.allowed_chars);
    expect(charset.toString()).toBe(golden.str);
  });

  it(`matches on ${golden.strings.length} tricky strings`, () => {
    expect(golden.strings.length).toBeGreaterThanOrEqual(50);
    for (const g of golden.strings) {
      const where = JSON.stringify(g.input);
      expect(charset.normalizeStr(g.input), where).toBe(g.normalize_str);
      expect(charset.cleanStr(g.input), where).toBe(g.clean_str);
      expect(charset.strToKeys(g.input), where).toEqual(g.str_to_keys);
      expect(charset.strToLabels(g.input), where).toEqual(g.str_to_labels);
      expect(charset.labelsToStr(g.str_to_labels), where).toBe(g.labels_to_str);
    }
  });

  it("matches on key lists in pynput and character form", () => {
    for (const g of golden.key_lists) {
      const where = JSON.stringify(g.input);
      expect(charset.normalizeKeys(g.input), where).toEqual(g.normalize_keys);
      expect(charset.cleanKeys(g.input), where).toEqual(g.clean_keys);
      expect(charset.keysToStr(g.clean_keys), where).toBe(g.keys_to_str);
    }
  });

  it("maps keys, labels and unicodes both ways", () => {
    golden.allowed_keys.forEach((key, label) => {
      expect(charset.keyToLabel(key)).toBe(label);
      expect(charset.labelToKey(label)).toBe(key);
      expect(charset.unicodeToLabel(golden.allowed_unicodes[label] as number)).toBe(label);
      expect(charset.labelToChar(label)).toBe(golden.allowed_chars[label]);
    });
    expect(charset.keyToLabel("Key.backspace")).toBe(94);
    expect(charset.keyToLabel("Key.shift")).toBe(97);
  });

  it("rejects keys and labels outside the charset", () => {
    expect(() => charset.keyToLabel("Key.tab")).toThrow(/not in the charset/);
    expect(() => charset.keysToStr(["Key.tab"])).toThrow(/not in the charset/);
    expect(() => charset.labelsToStr([98])).toThrow(/not a key label/);
    expect(() => charset.labelsToStr([-1])).toThrow(/not a key label/);
    expect(() => charset.labelToKey(1.5)).toThrow(/not a key label/);
  });

  it("is one shared instance equal to a fresh one", () => {
    expect(new CharacterSet().allowedKeys).toEqual(charset.allowedKeys);
  });
});

describe("transliteration", () => {
  const { map, range } = readGolden<{ map: Record<string, string>; range: [number, number] }>(
    "unidecode-map.json",
  );

  it("equals Python unidecode wherever the charset uses it, on every code point tested", () => {
    const usable = (t: string) => t.length === 1 && ((t >= " " && t <= "~") || t === "\r");
    let compared = 0;
    for (let cp = range[0]; cp < range[1]; cp++) {
      if (cp >= 0xd800 && cp < 0xe000) continue;
      const char = String.fromCodePoint(cp);
      const ours = transliterateChar(char);
      const kept = usable(ours) && ours !== char ? ours : undefined;
      expect(kept, `U+${cp.toString(16)}`).toBe(map[String(cp)]);
      compared++;
    }
    expect(compared).toBeGreaterThan(100_000);
    expect(Object.keys(map).length).toBeGreaterThan(3000);
  });
});
