import { transliterateChar } from "./transliterate.js";

/** A pynput key name (`"a"`, `"Key.shift"`, ...) as the keylogger records it. */
export type KeyName = string;

const ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
const PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/** Modifier keys in the charset and the unicode characters that stand for them. */
const MODIFIER_KEYS: ReadonlyArray<readonly [KeyName, number]> = [
  ["Key.backspace", 0x232b], // ⌫
  ["Key.enter", 0x23ce], // ⏎
  ["Key.space", 0x20],
  ["Key.shift", 0x21e7], // ⇧
];

/**
 * Unicode characters that name a key (some outside the charset, such as tab),
 * as emg2qwerty's `CharacterSet.UNICHAR_TO_KEY`.
 */
const CHAR_TO_KEY: ReadonlyMap<string, KeyName> = new Map([
  [" ", "Key.space"],
  ["\r", "Key.enter"],
  ["\u21e5", "Key.tab"], // ⇥
  ["\u21e7", "Key.shift"], // ⇧
  ["\u2303", "Key.ctrl"], // ⌃
  ["\u2318", "Key.cmd"], // ⌘
  ["\u232b", "Key.backspace"], // ⌫
  ["\u23ce", "Key.enter"], // ⏎
  ["\u2191", "Key.shift_l"], // ↑
  ["\u21e1", "Key.shift_r"], // ⇡
]);

/** Characters replaced before anything else, as emg2qwerty's `CHAR_SUBSTITUTIONS`. */
const CHAR_SUBSTITUTIONS: ReadonlyMap<string, string> = new Map([
  ["\n", "⏎"],
  ["\r", "⏎"],
  ["\b", "⌫"],
  ["\u2019", "'"], // ’
  ["\u201c", '"'], // “
  ["\u201d", '"'], // ”
  ["\u2014", "-"], // —
]);

/**
 * emg2qwerty's character set: 98 keys (ASCII letters, digits and punctuation,
 * then backspace, enter, space and shift) whose order defines the class labels
 * 0..97, plus the CTC blank 98. Every method gives the same result as the
 * Python `CharacterSet` method of the same (snake_case) name.
 *
 * Text uses one unicode character per key: `⌫` backspace, `⏎` enter, `⇧` shift.
 */
export class CharacterSet {
  /** Keys in label order. */
  readonly allowedKeys: readonly KeyName[];
  /** Unicode code point of each key, in label order. */
  readonly allowedUnicodes: readonly number[];
  private readonly keyToCodePoint: ReadonlyMap<KeyName, number>;
  private readonly keyLabels: ReadonlyMap<KeyName, number>;
  private readonly codePointToKey: ReadonlyMap<number, KeyName>;

  constructor() {
    const entries: Array<readonly [KeyName, number]> = [
      ...[...(ASCII_LETTERS + DIGITS + PUNCTUATION)].map(
        (c) => [c, c.codePointAt(0) as number] as const,
      ),
      ...MODIFIER_KEYS,
    ];
    this.allowedKeys = entries.map(([key]) => key);
    this.allowedUnicodes = entries.map(([, code]) => code);
    this.keyToCodePoint = new Map(entries);
    this.keyLabels = new Map(entries.map(([key], label) => [key, label]));
    this.codePointToKey = new Map(entries.map(([key, code]) => [code, key]));
  }

  /** Number of keys (98). */
  get size(): number {
    return this.allowedKeys.length;
  }

  /** Label of the CTC blank (98). */
  get nullClass(): number {
    return this.size;
  }

  /** Number of classes including the blank (99). */
  get numClasses(): number {
    return this.size + 1;
  }

  /** Printable character of each key, in label order. */
  get allowedChars(): string[] {
    return this.allowedUnicodes.map((code) => this.unicodeToChar(code));
  }

  /** Whether a key name belongs to the charset. */
  hasKey(key: KeyName): boolean {
    return this.keyToCodePoint.has(key);
  }

  keyToUnicode(key: KeyName): number {
    const code = this.keyToCodePoint.get(key);
    if (code === undefined)
      throw new RangeError(`key ${JSON.stringify(key)} is not in the charset`);
    return code;
  }

  unicodeToKey(code: number): KeyName {
    const key = this.codePointToKey.get(code);
    if (key === undefined) throw new RangeError(`unicode ${code} is not in the charset`);
    return key;
  }

  keyToLabel(key: KeyName): number {
    const label = this.keyLabels.get(key);
    if (label === undefined)
      throw new RangeError(`key ${JSON.stringify(key)} is not in the charset`);
    return label;
  }

  /** Key of a label 0..97 (the blank has no key). */
  labelToKey(label: number): KeyName {
    const key = Number.isInteger(label) && label >= 0 ? this.allowedKeys[label] : undefined;
    if (key === undefined)
      throw new RangeError(`label ${label} is not a key label (0..${this.size - 1})`);
    return key;
  }

  unicodeToLabel(code: number): number {
    return this.keyToLabel(this.unicodeToKey(code));
  }

  labelToUnicode(label: number): number {
    return this.keyToUnicode(this.labelToKey(label));
  }

  keyToChar(key: KeyName): string {
    return this.unicodeToChar(this.keyToUnicode(key));
  }

  unicodeToChar(code: number): string {
    return this.normalizeStr(String.fromCodePoint(code));
  }

  labelToChar(label: number): string {
    return this.keyToChar(this.labelToKey(label));
  }

  /**
   * Keys of a string after normalizing it; characters outside the charset are
   * dropped. `"the\b⏎\n"` -> `["t", "h", "e", "Key.backspace", "Key.enter", "Key.enter"]`.
   */
  strToKeys(text: string): KeyName[] {
    return this.cleanKeys([...this.normalizeStr(text)]);
  }

  /** Text of a sequence of charset keys; throws on a key outside the charset. */
  keysToStr(keys: readonly KeyName[]): string {
    return this.normalizeStr(
      keys.map((key) => String.fromCodePoint(this.keyToUnicode(key))).join(""),
    );
  }

  /** Labels 0..97 of a string, after `strToKeys`. Shape (L,). */
  strToLabels(text: string): number[] {
    return this.strToKeys(text).map((key) => this.keyToLabel(key));
  }

  /** Text of a sequence of key labels; throws on the blank or any other non-key label. */
  labelsToStr(labels: ArrayLike<number>): string {
    return this.keysToStr(Array.from(labels, (label) => this.labelToKey(label)));
  }

  /**
   * Normalizes keys in any representation (key names, single characters) and
   * drops those outside the charset.
   */
  cleanKeys(keys: readonly KeyName[]): KeyName[] {
    return this.normalizeKeys(keys).filter((key) => this.hasKey(key));
  }

  /** The string normalized and filtered so that each character is a charset key. */
  cleanStr(text: string): string {
    return this.keysToStr(this.cleanKeys([...this.normalizeStr(text)]));
  }

  /**
   * Normalizes keys without filtering: single characters go through
   * `normalizeStr` and then to the key they name (`"⌫"` -> `"Key.backspace"`).
   */
  normalizeKeys(keys: readonly KeyName[]): KeyName[] {
    return keys.map((key) => {
      if (this.hasKey(key) || !isSingleCodePoint(key)) return key;
      const normalized = this.normalizeStr(key);
      return CHAR_TO_KEY.get(normalized) ?? normalized;
    });
  }

  /**
   * Substitutes unsupported characters by supported ones without filtering:
   * the fixed substitutions first, then a unidecode transliteration of any
   * remaining character that is neither a key nor a key symbol, when that gives
   * exactly one such character (`é` -> `e`, but `ß` stays).
   */
  normalizeStr(text: string): string {
    let out = "";
    for (const char of text) {
      const substituted = CHAR_SUBSTITUTIONS.get(char) ?? char;
      out += this.isSpurious(substituted) ? this.transliterateSpurious(substituted) : substituted;
    }
    return out;
  }

  /** All keys as text, as Python's `str(charset())`. */
  toString(): string {
    return this.keysToStr(this.allowedKeys);
  }

  private isSpurious(char: string): boolean {
    return !this.hasKey(char) && !CHAR_TO_KEY.has(char);
  }

  private transliterateSpurious(char: string): string {
    const ascii = transliterateChar(char);
    return ascii !== char && isSingleCodePoint(ascii) && !this.isSpurious(ascii) ? ascii : char;
  }
}

function isSingleCodePoint(text: string): boolean {
  const first = text.codePointAt(0);
  return first !== undefined && text.length === (first > 0xffff ? 2 : 1);
}

/** The shared emg2qwerty character set (Python's `charset()`). */
export const charset = new CharacterSet();
