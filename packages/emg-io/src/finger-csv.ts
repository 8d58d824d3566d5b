/**
 * Finger-movement recordings in CSV: 8 sEMG channels at about 200 Hz, each row labelled with one
 * of 6 classes (rest and the five fingers). Browser-safe: parses text; `readFingerCsv` in
 * `@emgkit/emg-io/node` reads a file.
 *
 * Accepted format (README-csv.md says the same for users):
 * - Rows end in `\n` or `\r\n`; a UTF-8 byte-order mark, blank lines and a missing final newline
 *   are fine. Line numbers in errors count every physical line from 1.
 * - The delimiter is taken from the first non-blank row: tab if it has one, else `;` if it has
 *   one, else `,`. Every row must use it. No quoting: fields never contain the delimiter.
 * - Optional header: if the first field of the first non-blank row is not a number, that row is
 *   a header. It must have 10 columns; names are not checked (we expect
 *   `timestamp,ch1,ch2,ch3,ch4,ch5,ch6,ch7,ch8,label`).
 * - Every data row has exactly 10 columns: timestamp, ch1..ch8, label. Spaces around fields are
 *   ignored.
 * - Timestamp and channels: finite numbers (JavaScript number syntax, e.g. `-1.5e-3`); channels
 *   must also fit a float32. Timestamps never decrease (equal ones are allowed).
 * - Timestamp unit: seconds or milliseconds. By default ("auto") the median step between rows
 *   decides: 0.5 or more means milliseconds, since no sEMG recording samples slower than 2 Hz.
 *   Timestamps are returned in seconds either way. A sample counter (0, 1, 2, ...) would read as
 *   milliseconds; pass `timestampUnit` to say otherwise.
 * - Label: an integer 0-5 (`2` or `2.0`) or a class name, case-insensitive:
 *   0 = rest, 1 = thumb, 2 = index, 3 = middle, 4 = ring, 5 = pinky.
 */
import { EmgIoError } from "./errors";

/** Class names by label id: 0 = rest, then the fingers from thumb (1) to pinky (5). */
export const FINGER_CLASS_NAMES = ["rest", "thumb", "index", "middle", "ring", "pinky"] as const;
/** sEMG channels per row. */
export const FINGER_CSV_CHANNELS = 8;
/** The dataset's nominal rate, used when timestamps cannot give one (one row, median step 0). */
export const FINGER_CSV_DEFAULT_SAMPLE_RATE_HZ = 200;

/** timestamp + channels + label. */
const COLUMNS = 1 + FINGER_CSV_CHANNELS + 1;
const COLUMN_NAMES = [
  "timestamp",
  ...Array.from({ length: FINGER_CSV_CHANNELS }, (_, i) => `ch${i + 1}`),
  "label",
];
const LABEL_IDS: ReadonlyMap<string, number> = new Map(FINGER_CLASS_NAMES.map((n, i) => [n, i]));
/** A median step at or above this (in file units) means the timestamps are milliseconds. */
const MILLISECONDS_MIN_MEDIAN_STEP = 0.5;

export type TimestampUnit = "s" | "ms";

export interface FingerCsvOptions {
  /** Unit of the file's timestamps; "auto" (default) decides from the median step. */
  timestampUnit?: TimestampUnit | "auto";
}

/** One parsed recording of T rows. */
export interface FingerRecording {
  /** (T,) seconds, non-decreasing, in the file's time origin. */
  timestamps: Float64Array;
  /** (T, 8) row-major: `emg[t * 8 + c]` is channel c + 1 of row t. */
  emg: Float32Array;
  /** (T,) class ids 0-5, names in `classNames`. */
  labels: Uint8Array;
  /** 1 / median timestamp step, to 0.001 Hz; 200 when that step is 0 or there is one row. */
  sampleRateHz: number;
  /** The unit the file's timestamps were read in (they are returned in seconds). */
  timestampUnit: TimestampUnit;
  classNames: readonly string[];
}

/**
 * Parses a finger-movement CSV (format in this module's doc comment). Problems throw one-line
 * EmgIoErrors `<source>: line N: <problem>` (or `<source>: empty file`).
 * @param source names the input in error messages (a file path, usually)
 */
export function parseFingerCsv(
  text: string,
  source = "finger CSV",
  options: FingerCsvOptions = {},
): FingerRecording {
  // Rows are at most lines; arrays are trimmed to the row count at the end.
  const capacity = countLines(text);
  const timestamps = new Float64Array(capacity);
  const emg = new Float32Array(capacity * FINGER_CSV_CHANNELS);
  const labels = new Uint8Array(capacity);
  let rows = 0;
  let delimiter: string | undefined;
  let lineNumber = 0;
  let lineStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let start = lineStart;
  let lineEnd = lineStart;

  const fail = (problem: string): never => {
    throw new EmgIoError(source, `line ${lineNumber}: ${problem}`);
  };
  const failColumnCount = (what: string): never => {
    const found = text.slice(start, lineEnd).split(delimiter ?? ",").length;
    const expected = COLUMN_NAMES.join(delimiter);
    return fail(`${what} has ${found} columns, expected ${COLUMNS} (${expected})`);
  };

  while (lineStart < text.length) {
    lineNumber++;
    const newline = text.indexOf("\n", lineStart);
    start = lineStart;
    lineEnd = newline === -1 ? text.length : newline;
    lineStart = lineEnd + 1;
    if (lineEnd > start && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    if (isBlank(text, start, lineEnd)) continue;

    if (delimiter === undefined) {
      const line = text.slice(start, lineEnd);
      delimiter = line.includes("\t") ? "\t" : line.includes(";") ? ";" : ",";
      const fields = line.split(delimiter);
      if (parseNumber(fields[0] ?? "") === undefined) {
        if (fields.length !== COLUMNS) failColumnCount("header");
        continue;
      }
    }

    let fieldStart = start;
    for (let column = 0; column < COLUMNS; column++) {
      const last = column === COLUMNS - 1;
      const fieldEnd = last ? lineEnd : text.indexOf(delimiter, fieldStart);
      if (!last && (fieldEnd === -1 || fieldEnd >= lineEnd)) failColumnCount("row");
      const field = text.slice(fieldStart, fieldEnd);
      fieldStart = fieldEnd + 1;

      if (last) {
        if (field.includes(delimiter)) failColumnCount("row");
        labels[rows] =
          parseLabel(field) ??
          fail(
            `unknown label "${field.trim()}" (expected 0-5 or ${FINGER_CLASS_NAMES.join(", ")})`,
          );
      } else {
        const value = parseNumber(field);
        if (value === undefined) {
          fail(`${COLUMN_NAMES[column]}: non-numeric value "${field.trim()}"`);
        } else if (column === 0) {
          const previous = timestamps[rows - 1];
          if (previous !== undefined && value < previous) {
            fail(`timestamp ${value} goes backwards (previous row: ${previous})`);
          }
          timestamps[rows] = value;
        } else {
          if (!Number.isFinite(Math.fround(value))) {
            fail(`${COLUMN_NAMES[column]}: value ${field.trim()} does not fit a float32`);
          }
          emg[rows * FINGER_CSV_CHANNELS + column - 1] = value;
        }
      }
    }
    rows++;
  }

  if (delimiter === undefined) throw new EmgIoError(source, "empty file");
  if (rows === 0) throw new EmgIoError(source, `line ${lineNumber}: header but no data rows`);

  const rowTimestamps = timestamps.slice(0, rows);
  const step = medianStep(rowTimestamps);
  const requestedUnit = options.timestampUnit ?? "auto";
  const unit: TimestampUnit =
    requestedUnit !== "auto"
      ? requestedUnit
      : step !== undefined && step >= MILLISECONDS_MIN_MEDIAN_STEP
        ? "ms"
        : "s";
  // Division, not * 1e-3: it rounds correctly, so 1700000000005 ms is exactly 1700000000.005 s.
  const toSeconds = (t: number) => (unit === "ms" ? t / 1000 : t);
  for (let i = 0; i < rows; i++) rowTimestamps[i] = toSeconds(rowTimestamps[i] ?? 0);
  return {
    timestamps: rowTimestamps,
    emg: emg.slice(0, rows * FINGER_CSV_CHANNELS),
    labels: labels.slice(0, rows),
    sampleRateHz:
      step === undefined
        ? FINGER_CSV_DEFAULT_SAMPLE_RATE_HZ
        : Math.round(1000 / toSeconds(step)) / 1000,
    timestampUnit: unit,
    classNames: FINGER_CLASS_NAMES,
  };
}

function countLines(text: string): number {
  let lines = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines++;
  return lines;
}

/** Whether text[start, end) is empty or only spaces and tabs. */
function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9) return false;
  }
  return true;
}

/** A finite number, or undefined for text that is not one (Number("") would give 0). */
function parseNumber(field: string): number | undefined {
  const value = Number(field);
  if (!Number.isFinite(value) || (value === 0 && field.trim() === "")) return undefined;
  return value;
}

/** The class id of an integer 0-5 or a class name (any case), else undefined. */
function parseLabel(field: string): number | undefined {
  const value = parseNumber(field);
  if (value !== undefined) {
    return Number.isInteger(value) && value >= 0 && value < FINGER_CLASS_NAMES.length
      ? value
      : undefined;
  }
  return LABEL_IDS.get(field.trim().toLowerCase());
}

/** Median step between successive timestamps; undefined when that is 0 or there are < 2 rows. */
function medianStep(timestamps: Float64Array): number | undefined {
  const steps = new Float64Array(Math.max(timestamps.length - 1, 0));
  for (let i = 0; i < steps.length; i++) steps[i] = (timestamps[i + 1] ?? 0) - (timestamps[i] ?? 0);
  steps.sort();
  const middle = steps.length >> 1;
  const median =
    steps.length % 2 === 1
      ? (steps[middle] ?? 0)
      : ((steps[middle - 1] ?? 0) + (steps[middle] ?? 0)) / 2;
  return median > 0 ? median : undefined;
}
