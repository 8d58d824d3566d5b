import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSession } from "../src/node/open-session.js";
import { openSessionBytes } from "../src/open-session.js";
import { fixturePath, readGolden } from "./golden.js";

interface ReadGolden {
  fields: string[];
  length: number;
  session_name: string;
  user: string;
  condition: string;
  duration_mins: number;
  num_keystrokes: number;
  num_prompts: number;
  rows: Record<
    string,
    {
      time: number[];
      emg_left_sum: number;
      emg_right_sum: number;
      emg_left_first: number[];
      emg_right_last: number[];
    }
  >;
  ground_truth: Array<{
    start_t: number;
    end_t: number;
    text: string;
    labels: number[];
    slice_len: number;
    slice_first_time: number | null;
  }>;
}

const golden = readGolden<Record<string, ReadGolden>>("h5py-fixtures.json");
const scratch = mkdtempSync(join(tmpdir(), "emg-io-session-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Sum of one band's channels over a window, in float64 like numpy's sum of a float64 copy. */
function bandSum(emg: Float32Array, band: number): number {
  let sum = 0;
  for (let i = 0; i < emg.length; i++) if (Math.floor(i / 16) % 2 === band) sum += emg[i] as number;
  return sum;
}

describe.each(Object.keys(golden))("h5py fixture %s read as emg2qwerty reads it", (name) => {
  const g = golden[name] as ReadGolden;

  it("has the same metadata, rows and ground truth", async () => {
    const session = await openSession(fixturePath(name));
    try {
      expect(session.length).toBe(g.length);
      expect(session.metadata).toEqual({
        sessionName: g.session_name,
        user: g.user,
        condition: g.condition,
        durationMins: g.duration_mins,
      });
      expect(session.keystrokes.length).toBe(g.num_keystrokes);
      expect(session.prompts.length).toBe(g.num_prompts);
      for (const [range, rows] of Object.entries(g.rows)) {
        const [start, end] = range.split(":").map(Number) as [number, number];
        const { time, emg } = session.read(start, end);
        expect([...time]).toEqual(rows.time);
        expect(emg.length).toBe((end - start) * 32);
        expect(bandSum(emg, 0)).toBeCloseTo(rows.emg_left_sum, 6);
        expect(bandSum(emg, 1)).toBeCloseTo(rows.emg_right_sum, 6);
        expect([...emg.subarray(0, 16)]).toEqual(rows.emg_left_first);
        expect([...emg.subarray(emg.length - 16)]).toEqual(rows.emg_right_last);
      }
      for (const w of g.ground_truth) {
        const truth = session.groundTruth(w.start_t, w.end_t);
        expect(truth.text).toBe(w.text);
        expect([...truth.labels]).toEqual(w.labels);
        const slice = session.readTime(w.start_t, w.end_t);
        expect(slice.time.length).toBe(w.slice_len);
        expect(slice.time[0] ?? null).toBe(w.slice_first_time);
      }
      const all = session.readTimestamps();
      expect(all.length).toBe(g.length);
      expect(all[0]).toBe(g.rows["0:5"]?.time[0]);
    } finally {
      session.close();
    }
  });

  it("reads the same from bytes in memory (the browser path)", async () => {
    const bytes = readFileSync(fixturePath(name));
    const session = await openSessionBytes(new Blob([bytes]), name);
    try {
      const fromDisk = await openSession(fixturePath(name));
      expect(session.read(100, 137)).toEqual(fromDisk.read(100, 137));
      expect(session.metadata).toEqual(fromDisk.metadata);
      fromDisk.close();
    } finally {
      session.close();
    }
  });
});

describe("bad input gives one-line errors naming the file", () => {
  const cases: Array<[string, () => string, RegExp]> = [
    ["a missing file", () => join(scratch, "missing.hdf5"), /missing\.hdf5: no such file$/],
    ["a directory", () => scratch, /: not a file$/],
    [
      "a text file",
      () => {
        const path = join(scratch, "notes.hdf5");
        writeFileSync(path, "just some text\n");
        return path;
      },
      /notes\.hdf5: not an HDF5 file \(no HDF5 signature\)$/,
    ],
    [
      "a truncated file",
      () => {
        const path = join(scratch, "truncated.hdf5");
        writeFileSync(path, readFileSync(fixturePath("h5py-chunked.hdf5")).subarray(0, 100_000));
        return path;
      },
      /truncated\.hdf5: truncated HDF5 file \(100000 bytes; its superblock says \d+\)$/,
    ],
    [
      "a corrupt file",
      () => {
        const path = join(scratch, "corrupt.hdf5");
        const bytes = readFileSync(fixturePath("h5py-chunked.hdf5"));
        bytes.fill(0xab, 96, 4096);
        writeFileSync(path, bytes);
        return path;
      },
      /corrupt\.hdf5: cannot open: .+ \(HDF5 \w+\)$/,
    ],
    [
      "no emg2qwerty group",
      () => fixturePath("bad-no-group.hdf5"),
      /bad-no-group\.hdf5: no "emg2qwerty" group$/,
    ],
    [
      "wrong timeseries fields",
      () => fixturePath("bad-fields.hdf5"),
      /bad-fields\.hdf5: timeseries fields are time <f8, emg <f4 \(32\); expected time <f8, emg_left <f4 \(16\), emg_right <f4 \(16\)$/,
    ],
    [
      "keystrokes that are not JSON",
      () => fixturePath("bad-keystrokes-json.hdf5"),
      /bad-keystrokes-json\.hdf5: keystrokes attribute is not valid JSON \(.+\)$/,
    ],
  ];
  it.each(cases)("%s", async (_, makePath, message) => {
    const error = await openSession(makePath()).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.name).toBe("EmgIoError");
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain("\n");
  });

  it("timestamps that go backwards, when a window covers them", async () => {
    const session = await openSession(fixturePath("bad-time-backwards.hdf5"));
    try {
      expect(session.read(0, 10).time.length).toBe(10);
      expect(() => session.read(0, 16)).toThrow(
        /bad-time-backwards\.hdf5: timestamps go backwards at sample 10$/,
      );
      expect(() => session.readTimestamps()).toThrow(/go backwards at sample 10/);
    } finally {
      session.close();
    }
  });

  it("a window out of range, and reads after close", async () => {
    const path = join(scratch, "copy.hdf5");
    copyFileSync(fixturePath("h5py-chunked.hdf5"), path);
    const session = await openSession(path);
    expect(() => session.read(-1, 5)).toThrow(
      /copy\.hdf5: window \[-1, 5\) is out of range for 1200 samples$/,
    );
    expect(() => session.read(1190, 1201)).toThrow(/window \[1190, 1201\) is out of range/);
    expect(() => session.read(5, 4)).toThrow(/out of range/);
    expect(() => session.read(0.5, 4)).toThrow(/out of range/);
    expect(session.read(1200, 1200).time.length).toBe(0);
    const into = { time: new Float64Array(50), emg: new Float32Array(50 * 32) };
    expect(session.readInto(100, into)).toEqual(session.read(100, 150));
    expect(() => session.readInto(1190, into)).toThrow(/window \[1190, 1240\) is out of range/);
    expect(() =>
      session.readInto(0, { time: new Float64Array(2), emg: new Float32Array(3) }),
    ).toThrow(/emg holds 3 values; 2 samples need 64/);
    session.close();
    session.close();
    expect(() => session.read(0, 1)).toThrow(/copy\.hdf5: session is closed$/);
  });
});
