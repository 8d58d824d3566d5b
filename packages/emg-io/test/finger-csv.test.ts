import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EmgIoError } from "../src/errors";
import { FINGER_CLASS_NAMES, parseFingerCsv } from "../src/finger-csv";
import { readFingerCsv } from "../src/node/finger-csv";
import { errorOf } from "./expect-error.js";

const header = "timestamp,ch1,ch2,ch3,ch4,ch5,ch6,ch7,ch8,label";
const rows = [
  "0.000,1,2,3,4,5,6,7,8,rest",
  "0.005,-1.5,0,0,0,0,0,0,1e-3,Thumb",
  "0.010,0,0,0,0,0,0,0,0,INDEX",
  "0.015,0,0,0,0,0,0,0,0,middle",
  "0.020,0,0,0,0,0,0,0,0,ring",
  "0.025,0,0,0,0,0,0,0,0,pinky",
];
const numericRows = rows.map((row, i) => row.replace(/[^,]+$/, String(i)));

describe("parseFingerCsv accepts", () => {
  it("a file with a header, label names in any case and a trailing newline", () => {
    const recording = parseFingerCsv(`${header}\n${rows.join("\n")}\n`);
    expect(Array.from(recording.timestamps)).toEqual([0, 0.005, 0.01, 0.015, 0.02, 0.025]);
    expect(recording.emg.length).toBe(6 * 8);
    expect(Array.from(recording.emg.subarray(0, 8))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(recording.emg[8]).toBe(-1.5);
    expect(recording.emg[15]).toBeCloseTo(1e-3, 9);
    expect(Array.from(recording.labels)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(recording.sampleRateHz).toBe(200);
    expect(recording.timestampUnit).toBe("s");
    expect(recording.classNames).toEqual(["rest", "thumb", "index", "middle", "ring", "pinky"]);
  });

  it("a file without a header, integer labels, no trailing newline", () => {
    const recording = parseFingerCsv(numericRows.join("\n"));
    expect(Array.from(recording.labels)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(recording.timestamps.length).toBe(6);
  });

  it("CRLF line endings, a byte-order mark, blank lines, spaces and `2.0` labels", () => {
    const text = `\uFEFF${header}\r\n${numericRows[0]}\r\n\r\n 0.005 , 1,1,1,1,1,1,1,1, 2.0 \r\n`;
    const recording = parseFingerCsv(text);
    expect(Array.from(recording.labels)).toEqual([0, 2]);
    expect(Array.from(recording.emg.subarray(8))).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it("semicolon and tab delimiters", () => {
    for (const delimiter of [";", "\t"]) {
      const text = [header, ...rows].map((row) => row.replaceAll(",", delimiter)).join("\n");
      expect(Array.from(parseFingerCsv(text).labels)).toEqual([0, 1, 2, 3, 4, 5]);
    }
  });

  it("millisecond timestamps, returned in seconds", () => {
    const text = ["1700000000000,0,0,0,0,0,0,0,0,0", "1700000000005,0,0,0,0,0,0,0,0,0"].join("\n");
    const recording = parseFingerCsv(text);
    expect(recording.timestampUnit).toBe("ms");
    expect(Array.from(recording.timestamps)).toEqual([1700000000, 1700000000.005]);
    expect(recording.sampleRateHz).toBe(200);
    expect(parseFingerCsv(text, "x", { timestampUnit: "s" }).sampleRateHz).toBe(0.2);
  });

  it("estimates the rate from the median step, defaulting to 200 Hz", () => {
    const steps = [0, 0.004, 0.008, 0.5, 0.504].map((t) => `${t},0,0,0,0,0,0,0,0,0`);
    expect(parseFingerCsv(steps.join("\n")).sampleRateHz).toBe(250);
    expect(parseFingerCsv(numericRows[0] ?? "").sampleRateHz).toBe(200);
  });

  it("100k rows quickly", () => {
    const lines = [header];
    for (let i = 0; i < 100_000; i++) {
      lines.push(
        `${(i / 200).toFixed(3)},${[1, 2, 3, 4, 5, 6, 7, 8].map((c) => c * i).join(",")},${i % 6}`,
      );
    }
    const text = lines.join("\n");
    const started = performance.now();
    const recording = parseFingerCsv(text);
    const elapsedMs = performance.now() - started;
    expect(recording.labels.length).toBe(100_000);
    expect(recording.emg[99_999 * 8 + 7]).toBe(8 * 99_999);
    expect(recording.labels[99_999]).toBe(99_999 % 6);
    expect(recording.sampleRateHz).toBe(200);
    expect(elapsedMs).toBeLessThan(2000);
  });
});

describe("parseFingerCsv rejects, naming the file and line", () => {
  const good = numericRows[0];
  it.each([
    ["an empty file", "", /^f\.csv: empty file$/],
    ["a blank file", "\n \r\n", /^f\.csv: empty file$/],
    ["a header alone", `${header}\n`, /^f\.csv: line 1: header but no data rows$/],
    [
      "a short header",
      "time,a,b\n",
      /^f\.csv: line 1: header has 3 columns, expected 10 \(timestamp,ch1,/,
    ],
    [
      "a short row",
      `${header}\n${good}\n0.005,1,2\n`,
      /^f\.csv: line 3: row has 3 columns, expected 10/,
    ],
    ["a long row", `${good}\n${good},extra\n`, /^f\.csv: line 2: row has 11 columns, expected 10/],
    [
      "an inconsistent delimiter",
      `${good}\n${good?.replaceAll(",", ";")}\n`,
      /^f\.csv: line 2: row has 1 columns/,
    ],
    [
      "a non-numeric channel",
      "0,1,2,x,4,5,6,7,8,0\n",
      /^f\.csv: line 1: ch3: non-numeric value "x"$/,
    ],
    [
      "an empty channel",
      `${header}\n0,1,2,3,,5,6,7,8,0\n`,
      /^f\.csv: line 2: ch4: non-numeric value ""$/,
    ],
    ["a NaN channel", "0,NaN,2,3,4,5,6,7,8,0\n", /^f\.csv: line 1: ch1: non-numeric value "NaN"$/],
    [
      "a float32 overflow",
      "0,1e40,2,3,4,5,6,7,8,0\n",
      /^f\.csv: line 1: ch1: value 1e40 does not fit a float32$/,
    ],
    [
      "a non-numeric timestamp",
      `${good}\nsoon,1,2,3,4,5,6,7,8,0\n`,
      /^f\.csv: line 2: timestamp: non-numeric value "soon"$/,
    ],
    [
      "an unknown label name",
      `${good}\n1,1,2,3,4,5,6,7,8,wrist\n`,
      /^f\.csv: line 2: unknown label "wrist" \(expected 0-5 or rest, thumb/,
    ],
    [
      "a label out of range",
      `${good}\n1,1,2,3,4,5,6,7,8,6\n`,
      /^f\.csv: line 2: unknown label "6"/,
    ],
    [
      "a fractional label",
      `${good}\n1,1,2,3,4,5,6,7,8,1.5\n`,
      /^f\.csv: line 2: unknown label "1.5"/,
    ],
    [
      "timestamps going backwards",
      `${header}\r\n1,0,0,0,0,0,0,0,0,0\r\n\r\n2,0,0,0,0,0,0,0,0,0\r\n1.5,0,0,0,0,0,0,0,0,0\r\n`,
      /^f\.csv: line 5: timestamp 1\.5 goes backwards \(previous row: 2\)$/,
    ],
  ])("%s", (_what, text, pattern) => {
    expect(errorOf(() => parseFingerCsv(text ?? "", "f.csv"))).toMatch(pattern);
  });
});

describe("readFingerCsv", () => {
  it("reads a file and names it in errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emgkit-csv-"));
    const file = join(dir, "session.csv");
    writeFileSync(file, `${header}\n${rows.join("\n")}\n`);
    const recording = await readFingerCsv(file);
    expect(Array.from(recording.labels).map((id) => FINGER_CLASS_NAMES[id])).toEqual([
      ...FINGER_CLASS_NAMES,
    ]);

    writeFileSync(file, `${header}\n0,1,2,3\n`);
    await expect(readFingerCsv(file)).rejects.toThrow(`${file}: line 2: row has 4 columns`);
    const missing = join(dir, "missing.csv");
    await expect(readFingerCsv(missing)).rejects.toThrow(new EmgIoError(missing, "no such file"));
  });
});
