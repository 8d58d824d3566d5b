import { type CharacterSet, charset as defaultCharset, type KeyName } from "./charset.js";
import type { Keystroke, Prompt } from "./session-types.js";

/** Options of the window-based constructors: keys or prompts that start in [startT, endT]. */
export interface TimeWindow {
  /** Unix seconds; default -Infinity. */
  startT?: number;
  /** Unix seconds, inclusive; default +Infinity. */
  endT?: number;
}

/**
 * Text of a typing ground truth in charset form, with optional per-character
 * key-press timestamps: emg2qwerty's `LabelData`. Build it with the static
 * factories, which normalize and clean the text as emg2qwerty does.
 */
export class LabelData {
  /** Charset text: one character per key (`⌫` backspace, `⏎` enter, `⇧` shift). */
  readonly text: string;
  /** Key-press time of each character (unix seconds), shape (L,), or null. */
  readonly timestamps: Float64Array | null;
  readonly charset: CharacterSet;

  /**
   * Wraps text that is already clean. Throws when timestamps are given with a
   * length other than the text's or when they decrease.
   */
  constructor(
    text: string,
    timestamps: ArrayLike<number> | null = null,
    charset: CharacterSet = defaultCharset,
  ) {
    this.text = text;
    this.charset = charset;
    this.timestamps = timestamps === null ? null : Float64Array.from(timestamps);
    if (this.timestamps !== null) {
      const length = [...text].length;
      if (this.timestamps.length !== length) {
        throw new RangeError(`${this.timestamps.length} timestamps for ${length} characters`);
      }
      for (let i = 1; i < this.timestamps.length; i++) {
        if (!((this.timestamps[i] as number) >= (this.timestamps[i - 1] as number))) {
          throw new RangeError(`timestamps are not monotonic at index ${i}`);
        }
      }
    }
  }

  /**
   * Keys pressed in [startT, endT] (inclusive, by press time), each with its
   * press time; keys outside the charset are dropped. Stops at the first key
   * pressed after endT, so keystrokes must be in time order (as in the files).
   */
  static fromKeystrokes(
    keystrokes: readonly Keystroke[],
    { startT = -Infinity, endT = Infinity }: TimeWindow = {},
    charset: CharacterSet = defaultCharset,
  ): LabelData {
    let text = "";
    const timestamps: number[] = [];
    for (const keystroke of keystrokes) {
      if (keystroke.start > endT) break;
      if (keystroke.start >= startT) {
        const char = keyChar(keystroke.key, charset);
        if (char !== null) {
          text += char;
          timestamps.push(keystroke.start);
        }
      }
    }
    return new LabelData(text, timestamps, charset);
  }

  /**
   * One key, as a pynput key name or a keystroke record; empty when the key is
   * outside the charset. The timestamp defaults to the keystroke's press time.
   */
  static fromKey(
    key: KeyName | Keystroke,
    timestamp: number | null = null,
    charset: CharacterSet = defaultCharset,
  ): LabelData {
    const name = typeof key === "string" ? key : key.key;
    const time = timestamp ?? (typeof key === "string" ? null : key.start);
    const char = keyChar(name, charset);
    if (char === null) return new LabelData("", [], charset);
    return new LabelData(char, time === null ? null : [time], charset);
  }

  /**
   * Prompts that start in [startT, endT], concatenated; no timestamps. Prompts
   * must be in time order.
   */
  static fromPrompts(
    prompts: readonly Prompt[],
    {
      startT = -Infinity,
      endT = Infinity,
      enforceNewline = true,
    }: TimeWindow & { enforceNewline?: boolean } = {},
    charset: CharacterSet = defaultCharset,
  ): LabelData {
    let text = "";
    for (const prompt of prompts) {
      if (prompt.start > endT) break;
      if (prompt.start >= startT)
        text += LabelData.fromPrompt(prompt, enforceNewline, charset).text;
    }
    return new LabelData(text, null, charset);
  }

  /**
   * One prompt (raw text or a prompt record), cleaned; with `enforceNewline`
   * it ends with `⏎`. A prompt record without payload gives empty text.
   */
  static fromPrompt(
    prompt: string | Prompt,
    enforceNewline = true,
    charset: CharacterSet = defaultCharset,
  ): LabelData {
    const raw = typeof prompt === "string" ? prompt : (prompt.payload?.text ?? null);
    if (raw === null) return new LabelData("", null, charset);
    let text = charset.cleanStr(raw);
    if (enforceNewline && !text.endsWith("⏎")) text += "⏎";
    return new LabelData(text, null, charset);
  }

  /** Any string, normalized and cleaned; timestamps must match the cleaned length. */
  static fromStr(
    text: string,
    timestamps: ArrayLike<number> | null = null,
    charset: CharacterSet = defaultCharset,
  ): LabelData {
    return new LabelData(charset.cleanStr(text), timestamps, charset);
  }

  /** Key labels (0..97) with optional timestamps. */
  static fromLabels(
    labels: ArrayLike<number>,
    timestamps: ArrayLike<number> | null = null,
    charset: CharacterSet = defaultCharset,
  ): LabelData {
    return new LabelData(charset.labelsToStr(labels), timestamps, charset);
  }

  /** Class labels of the text, shape (L,). */
  get labels(): Int32Array {
    return Int32Array.from(this.charset.strToLabels(this.text));
  }

  /** Number of characters (keys). */
  get length(): number {
    return this.text.length;
  }

  /** Equal texts (timestamps are not compared, as in emg2qwerty). */
  equals(other: LabelData): boolean {
    return this.text === other.text;
  }

  /** Concatenation; timestamps are kept only when both sides have them. */
  concat(other: LabelData): LabelData {
    const timestamps =
      this.timestamps !== null && other.timestamps !== null
        ? [...this.timestamps, ...other.timestamps]
        : null;
    return new LabelData(this.text + other.text, timestamps, this.charset);
  }

  /** Readable text: `⏎` shown as a line break. */
  toString(): string {
    return this.text.replaceAll("⏎", "\n");
  }
}

/** The charset character of one key in any representation, or null when outside the charset. */
function keyChar(key: KeyName, charset: CharacterSet): string | null {
  const [normalized] = charset.normalizeKeys([key]);
  return normalized !== undefined && charset.hasKey(normalized)
    ? charset.keyToChar(normalized)
    : null;
}
