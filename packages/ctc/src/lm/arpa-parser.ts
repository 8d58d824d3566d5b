import { parseAsciiNumber } from "./ascii-number.js";
import type { NGramTable } from "./ngram-table.js";
import { NGramTableBuilder } from "./ngram-table-builder.js";
import { BEGIN_SENTENCE_TOKEN, END_SENTENCE_TOKEN, Vocabulary } from "./vocabulary.js";

/** A structural error in an ARPA file, with the 1-based line it was found on. */
export class ArpaFormatError extends Error {
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`ARPA line ${line}: ${detail}`);
    this.name = "ArpaFormatError";
  }
}

/** What an ARPA file holds, ready for scoring. */
export interface ArpaModel {
  vocabulary: Vocabulary;
  table: NGramTable;
  /** Number of k-grams at index k - 1, as `\data\` declares (and the sections hold). */
  ngramCounts: number[];
}

const TAB = 0x09;
const SPACE = 0x20;
const BACKSLASH = 0x5c;
const ascii = new TextDecoder("latin1");

/**
 * Reads an ARPA back-off model from UTF-8 bytes, one pass, O(bytes), no object
 * or string per n-gram. Checks what KenLM checks when it loads an ARPA file,
 * and throws {@link ArpaFormatError} with the line: the `\data\` header and
 * its consecutive `ngram k=count` lines, at least 2 orders, each `\k-grams:`
 * section in turn with exactly its count of lines `log10p<TAB>w1 .. wk[<TAB>backoff]`,
 * k words each, no positive log10 p, no backoff on the highest order, every
 * word among the 1-grams, every context listed, `<s>` and `</s>` present,
 * `\end\` last.
 */
export function parseArpa(bytes: Uint8Array): ArpaModel {
  const lines = new LineCursor(bytes);
  if (!lines.nextNonBlank() || lines.text() !== "\\data\\") {
    throw new ArpaFormatError(lines.number, "expected the \\data\\ header first");
  }
  const ngramCounts = readCounts(lines);
  const order = ngramCounts.length;
  const vocabulary = new Vocabulary(ngramCounts[0] as number);
  const unigrams = readUnigrams(lines, ngramCounts[0] as number, vocabulary);
  const builder = new NGramTableBuilder(ngramCounts, vocabulary.size);
  for (let word = 0; word < vocabulary.size; word++) {
    builder.setUnigram(
      word,
      unigrams.probability[word] as number,
      unigrams.backoff[word] as number,
    );
  }
  if (!unigrams.sawUnknown) builder.setMissingUnknown();

  const words = new Int32Array(order);
  for (let n = 2; n <= order; n++) {
    expectSectionHeader(lines, n);
    const count = ngramCounts[n - 1] as number;
    for (let listed = 0; listed < count; listed++) {
      nextEntryLine(lines, n, listed, count);
      const line = readNGramLine(lines, n, n === order);
      for (let i = 0; i < n; i++) {
        const { start, end } = line.words[i] as WordSpan;
        const index = vocabulary.indexOfBytes(bytes, start, end);
        if (index < 0) {
          const word = new TextDecoder().decode(bytes.subarray(start, end));
          throw new ArpaFormatError(lines.number, `word "${word}" is not among the 1-grams`);
        }
        words[i] = index;
      }
      const problem = builder.addNGram(words, n, line.probability, line.backoff);
      if (problem !== undefined) {
        throw new ArpaFormatError(lines.number, `${n}-gram cannot be added: ${problem}`);
      }
    }
  }
  if (!lines.nextNonBlank() || lines.text() !== "\\end\\") {
    const detail = lines.atEnd ? "the file ends" : `found "${lines.text()}"`;
    throw new ArpaFormatError(lines.number, `expected \\end\\ after the ${order}-grams; ${detail}`);
  }
  if (lines.nextNonBlank()) {
    throw new ArpaFormatError(lines.number, "unexpected text after \\end\\");
  }
  return { vocabulary, table: builder.finish(), ngramCounts };
}

/** The `ngram k=count` lines after `\data\`, orders 1, 2, ... in turn. */
function readCounts(lines: LineCursor): number[] {
  const counts: number[] = [];
  while (lines.nextNonBlank() && lines.firstByte() !== BACKSLASH) {
    const match = /^ngram\s+(\d+)\s*=\s*(\d+)$/.exec(lines.text());
    if (match === null) {
      throw new ArpaFormatError(lines.number, `expected "ngram ${counts.length + 1}=<count>"`);
    }
    if (Number(match[1]) !== counts.length + 1) {
      throw new ArpaFormatError(
        lines.number,
        `n-gram counts must list orders 1, 2, ... in turn; expected order ${counts.length + 1}, found ${match[1]}`,
      );
    }
    counts.push(Number(match[2]));
  }
  lines.keep();
  if (counts.length < 2) {
    throw new ArpaFormatError(
      lines.number,
      "expected at least 2 orders (ngram 1=..., ngram 2=...)",
    );
  }
  return counts;
}

interface Unigrams {
  /** log10 p and backoff by vocabulary index. */
  probability: Float32Array;
  backoff: Float32Array;
  sawUnknown: boolean;
}

/** The `\1-grams:` section: builds the vocabulary (ids in listed order) and keeps the weights. */
function readUnigrams(lines: LineCursor, count: number, vocabulary: Vocabulary): Unigrams {
  expectSectionHeader(lines, 1);
  const probability = new Float32Array(count + 1);
  const backoff = new Float32Array(count + 1);
  let sawUnknown = false;
  for (let listed = 0; listed < count; listed++) {
    nextEntryLine(lines, 1, listed, count);
    const line = readNGramLine(lines, 1, false);
    const { start, end } = line.words[0] as WordSpan;
    let index: number;
    try {
      index = vocabulary.add(lines.bytes, start, end);
    } catch {
      throw new ArpaFormatError(lines.number, "the word is not valid UTF-8");
    }
    if (index < 0 || (index === 0 && sawUnknown)) {
      throw new ArpaFormatError(lines.number, "this 1-gram is listed twice");
    }
    if (index === 0) sawUnknown = true;
    probability[index] = line.probability;
    backoff[index] = line.backoff;
  }
  for (const token of [BEGIN_SENTENCE_TOKEN, END_SENTENCE_TOKEN]) {
    if (vocabulary.index(token) === 0) {
      throw new ArpaFormatError(lines.number, `the 1-grams lack ${token}, which KenLM requires`);
    }
  }
  return { probability, backoff, sawUnknown };
}

function expectSectionHeader(lines: LineCursor, n: number): void {
  const header = `\\${n}-grams:`;
  if (!lines.nextNonBlank() || lines.text() !== header) {
    const found = lines.atEnd ? "the file ends" : `found "${lines.text()}"`;
    throw new ArpaFormatError(lines.number, `expected ${header}; ${found}`);
  }
}

/** Moves to the next n-gram line of a section that should hold `count`, `listed` of them seen. */
function nextEntryLine(lines: LineCursor, n: number, listed: number, count: number): void {
  if (!lines.nextNonBlank() || lines.firstByte() === BACKSLASH) {
    throw new ArpaFormatError(
      lines.number,
      `\\data\\ declares ${count} ${n}-grams but the section lists ${listed}`,
    );
  }
}

interface WordSpan {
  start: number;
  end: number;
}

/** One parsed n-gram line; reused from line to line. */
interface NGramLine {
  probability: number;
  backoff: number;
  words: WordSpan[];
}

const parsedLine: NGramLine = { probability: 0, backoff: 0, words: [] };

/**
 * Splits the current line into log10 p, `n` words (runs of bytes other than
 * space and tab) and the optional tab-separated backoff, as KenLM does.
 */
function readNGramLine(lines: LineCursor, n: number, highestOrder: boolean): NGramLine {
  const { bytes, start, end } = lines;
  const probabilityEnd = skipWord(bytes, start, end);
  const probability = parseAsciiNumber(bytes, start, probabilityEnd);
  if (Number.isNaN(probability) || probabilityEnd === end) {
    throw new ArpaFormatError(
      lines.number,
      "malformed n-gram line; expected log10p<TAB>words[<TAB>backoff]",
    );
  }
  if (probability > 0) {
    throw new ArpaFormatError(lines.number, `positive log10 probability ${probability}`);
  }
  parsedLine.probability = probability;
  let at = skipBlanks(bytes, probabilityEnd, end);
  for (let i = 0; i < n; i++) {
    if (at === end) throw wrongOrder(lines, n, i);
    const wordEnd = skipWord(bytes, at, end);
    const span = parsedLine.words[i] ?? { start: 0, end: 0 };
    span.start = at;
    span.end = wordEnd;
    parsedLine.words[i] = span;
    at = i + 1 < n ? skipBlanks(bytes, wordEnd, end) : wordEnd;
  }
  parsedLine.backoff = 0;
  if (at === end) return parsedLine;
  const backoffStart = skipBlanks(bytes, at, end);
  const backoffEnd = skipWord(bytes, backoffStart, end);
  const backoff = parseAsciiNumber(bytes, backoffStart, backoffEnd);
  if (bytes[at] !== TAB || Number.isNaN(backoff) || skipBlanks(bytes, backoffEnd, end) !== end) {
    throw wrongOrder(lines, n, n + countWords(bytes, at, end));
  }
  if (!Number.isFinite(backoff)) throw new ArpaFormatError(lines.number, `backoff ${backoff}`);
  if (highestOrder && backoff !== 0) {
    throw new ArpaFormatError(lines.number, `highest-order ${n}-gram with a non-zero backoff`);
  }
  parsedLine.backoff = backoff;
  return parsedLine;
}

function wrongOrder(lines: LineCursor, n: number, found: number): ArpaFormatError {
  return new ArpaFormatError(
    lines.number,
    `expected ${n} word${n === 1 ? "" : "s"} in a ${n}-gram, found ${found}`,
  );
}

const isBlank = (byte: number | undefined) => byte === SPACE || byte === TAB;

function skipBlanks(bytes: Uint8Array, at: number, end: number): number {
  while (at < end && isBlank(bytes[at])) at++;
  return at;
}

function skipWord(bytes: Uint8Array, at: number, end: number): number {
  while (at < end && !isBlank(bytes[at])) at++;
  return at;
}

function countWords(bytes: Uint8Array, at: number, end: number): number {
  let words = 0;
  for (
    at = skipBlanks(bytes, at, end);
    at < end;
    at = skipBlanks(bytes, skipWord(bytes, at, end), end)
  ) {
    words++;
  }
  return words;
}

/** Walks the lines of a byte buffer (LF or CRLF) without copying them. */
class LineCursor {
  /** 1-based number of the current line; the last line + 1 once past the end. */
  number = 0;
  /** The current line without leading and trailing whitespace: bytes[start, end). */
  start = 0;
  end = 0;
  atEnd = false;
  private next = 0;
  private repeat = false;

  constructor(readonly bytes: Uint8Array) {}

  /** Moves to the next line with something besides whitespace; false at the end of the bytes. */
  nextNonBlank(): boolean {
    const { bytes } = this;
    if (this.repeat) {
      this.repeat = false;
      return !this.atEnd;
    }
    while (this.next < bytes.length) {
      this.number++;
      this.start = this.next;
      const newline = bytes.indexOf(0x0a, this.start);
      this.end = newline < 0 ? bytes.length : newline;
      this.next = this.end + 1;
      while (this.end > this.start && isWhitespace(bytes[this.end - 1])) this.end--;
      while (this.start < this.end && isWhitespace(bytes[this.start])) this.start++;
      if (this.start < this.end) return true;
    }
    this.number++;
    this.start = this.end = bytes.length;
    this.atEnd = true;
    return false;
  }

  /** Makes the next `nextNonBlank` stay on the current line. */
  keep(): void {
    this.repeat = true;
  }

  firstByte(): number | undefined {
    return this.bytes[this.start];
  }

  /** The current line as text (for headers; n-gram lines stay bytes). */
  text(): string {
    return ascii.decode(this.bytes.subarray(this.start, this.end));
  }
}

/** KenLM's `kSpaces`: tab, LF, VT, FF, CR and space. */
function isWhitespace(byte: number | undefined): boolean {
  return byte === SPACE || (byte !== undefined && byte >= 0x09 && byte <= 0x0d);
}
