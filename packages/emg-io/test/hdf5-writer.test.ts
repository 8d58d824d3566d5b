import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import * as fsPromises from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import h5wasm, { type Dataset, type Group, type File as H5File } from "h5wasm/node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EmgIoError } from "../src/errors.js";
import { encodeSession, sessionFileParts } from "../src/hdf5/session-file.js";
import { writeSession } from "../src/node/write-session.js";
import type { SessionData } from "../src/session-types.js";
import { FIXTURE_CHUNK_ROWS, writerFixtureSession } from "./writer-fixture-session.js";

vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return { ...actual, open: vi.fn(actual.open) };
});

const fixturePath = new URL("./fixtures/emgkit-written.hdf5", import.meta.url);
const goldenPath = new URL("./golden/h5py-read-emgkit-written.json", import.meta.url);

let workDir: string;
beforeAll(async () => {
  await h5wasm.ready;
  workDir = mkdtempSync(join(tmpdir(), "emgkit-hdf5-writer-"));
});
afterAll(() => fsPromises.rm(workDir, { recursive: true, force: true }));

/** A small session whose every value is distinct, so misplaced bytes show. */
function makeSession(rows: number): SessionData {
  const time = Float64Array.from({ length: rows }, (_, i) => 1_700_000_000 + i / 2000);
  const emg = Float32Array.from({ length: rows * 32 }, (_, i) => (i % 7919) - i / 1024);
  return {
    metadata: { sessionName: "s-1", user: "user-7", condition: "on_keyboard", durationMins: 0.5 },
    keystrokes: [{ key: "Key.shift", start: 1_700_000_000.1, end: 1_700_000_000.2 }],
    prompts: [{ start: 1_700_000_000, end: 1_700_000_001, payload: { text: "café ⌫ ⏎" } }],
    time,
    emg,
  };
}

function concat(parts: Iterable<Uint8Array>): Uint8Array {
  const list = [...parts];
  const out = new Uint8Array(list.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of list) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

type H5Row = [number, number[], number[]];

/** Writes `bytes`, opens the file with h5wasm and hands the emg2qwerty group to `inspect`. */
function withH5wasm(bytes: Uint8Array, name: string, inspect: (file: H5File) => void) {
  const path = join(workDir, name);
  writeFileSync(path, bytes);
  const file = new h5wasm.File(path, "r");
  try {
    inspect(file);
  } finally {
    file.close();
  }
}

function expectedRow(session: SessionData, row: number): H5Row {
  const sample = Array.from(session.emg.subarray(row * 32, row * 32 + 32));
  return [session.time[row] as number, sample.slice(0, 16), sample.slice(16)];
}

describe("encodeSession", () => {
  it("reproduces the committed h5py-checked fixture byte for byte", () => {
    const bytes = encodeSession(writerFixtureSession(), { chunkRows: FIXTURE_CHUNK_ROWS });
    expect(Buffer.from(bytes).equals(readFileSync(fixturePath))).toBe(true);
  });

  it("matches what h5py read from the fixture", () => {
    const session = writerFixtureSession();
    const golden = JSON.parse(readFileSync(goldenPath, "utf8"));
    expect(golden.failures).toEqual([]);
    expect(golden.shape).toEqual([session.time.length]);
    expect(golden.chunks).toEqual([FIXTURE_CHUNK_ROWS]);
    expect(golden.fields).toEqual({
      time: { dtype: "float64", shape: [], offset: 0 },
      emg_left: { dtype: "float32", shape: [16], offset: 8 },
      emg_right: { dtype: "float32", shape: [16], offset: 72 },
    });
    expect(golden.session_name).toBe(session.metadata.sessionName);
    expect(golden.user).toBe(session.metadata.user);
    expect(golden.condition).toBe(session.metadata.condition);
    expect(golden.duration_mins).toBe(session.metadata.durationMins);
    expect(golden.keystrokes).toEqual(session.keystrokes);
    expect(golden.prompts).toEqual(session.prompts);
    for (const [row, values] of Object.entries(golden.rows)) {
      const [time, left, right] = expectedRow(session, Number(row));
      expect(values).toEqual({ time: [time], emg_left: [left], emg_right: [right] });
    }
    const sum = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0);
    const left = session.emg.filter((_, i) => i % 32 < 16);
    const right = session.emg.filter((_, i) => i % 32 >= 16);
    expect(golden.sums.time).toBeCloseTo(sum(session.time), 2);
    expect(golden.sums.emg_left).toBeCloseTo(sum(left), 6);
    expect(golden.sums.emg_right).toBeCloseTo(sum(right), 6);
  });

  it.each([
    ["a single sample", 1, undefined],
    ["a single chunk (chunkRows capped at the row count)", 100, undefined],
    ["a partial last chunk", 1000, 300],
    ["a two-level chunk B-tree (94 chunks)", 3000, 32],
    ["a three-level chunk B-tree (4200 chunks)", 4200, 1],
  ])("writes a file h5wasm reads: %s", (_, rows, chunkRows) => {
    const session = makeSession(rows);
    const bytes = encodeSession(session, { chunkRows });
    expect(concat(sessionFileParts(session, { chunkRows }))).toEqual(bytes);
    withH5wasm(bytes, `rows-${rows}.hdf5`, (file) => {
      const group = file.get("emg2qwerty") as Group;
      expect(group.attrs.session_name?.value).toBe("s-1");
      expect(group.attrs.user?.value).toBe("user-7");
      expect(group.attrs.condition?.value).toBe("on_keyboard");
      expect(group.attrs.duration_mins?.value).toBe(0.5);
      expect(JSON.parse(group.attrs.keystrokes?.value as string)).toEqual(session.keystrokes);
      expect(JSON.parse(group.attrs.prompts?.value as string)).toEqual(session.prompts);

      const dataset = file.get("emg2qwerty/timeseries") as Dataset;
      expect(dataset.shape).toEqual([rows]);
      expect(dataset.dtype).toEqual([
        ["time", "<d"],
        ["emg_left", "<f", [16]],
        ["emg_right", "<f", [16]],
      ]);
      const chunk = Math.min(chunkRows ?? 4096, rows);
      const starts = [0, chunk - 1, Math.floor(rows / 2), rows - 2].filter((s) => s >= 0);
      for (const start of new Set(starts)) {
        const end = Math.min(start + 3, rows);
        const got = dataset.slice([[start, end]]) as unknown as H5Row[];
        const want = Array.from({ length: end - start }, (_, i) => expectedRow(session, start + i));
        expect(got).toEqual(want);
      }
    });
  });

  it("stores any UTF-8 text, empty strings included", () => {
    const session = makeSession(10);
    session.metadata = { ...session.metadata, sessionName: "", user: "ユーザー", condition: "" };
    withH5wasm(encodeSession(session), "strings.hdf5", (file) => {
      const group = file.get("emg2qwerty") as Group;
      expect(group.attrs.session_name?.value).toBe("");
      expect(group.attrs.user?.value).toBe("ユーザー");
      expect(group.attrs.condition?.value).toBe("");
    });
  });

  it("holds large JSON attributes", () => {
    const session = makeSession(10);
    session.keystrokes = Array.from({ length: 20_000 }, (_, i) => ({
      key: "é",
      start: i,
      end: i + 0.5,
    }));
    withH5wasm(encodeSession(session), "large-json.hdf5", (file) => {
      const group = file.get("emg2qwerty") as Group;
      expect(JSON.parse(group.attrs.keystrokes?.value as string)).toEqual(session.keystrokes);
    });
  });
});

describe("input validation", () => {
  type Loose = Record<string, unknown>;
  const cases: Array<[string, (s: SessionData) => void, string]> = [
    [
      "emg length",
      (s) => {
        s.emg = new Float32Array(31);
      },
      "session: emg has 31 values; expected 128 (4 samples × 2 bands × 16 channels)",
    ],
    [
      "empty time",
      (s) => {
        s.time = new Float64Array(0);
        s.emg = new Float32Array(0);
      },
      "session: time is empty; a session needs at least one sample",
    ],
    [
      "time type",
      (s) => {
        (s as unknown as Loose).time = [1];
      },
      "session: time must be a Float64Array, got an array",
    ],
    [
      "emg type",
      (s) => {
        (s as unknown as Loose).emg = new Float64Array(128);
      },
      "session: emg must be a Float32Array, got a Float64Array",
    ],
    [
      "non-finite time",
      (s) => {
        s.time[1] = Number.NaN;
      },
      "session: time[1] is NaN; times must be finite",
    ],
    [
      "decreasing time",
      (s) => {
        s.time[2] = 0;
      },
      "session: time[2] = 0 is before time[1] = 1700000000.0005; times must not decrease",
    ],
    [
      "sessionName",
      (s) => {
        (s.metadata as unknown as Loose).sessionName = 3;
      },
      "session: metadata.sessionName must be a string, got 3",
    ],
    [
      "user",
      (s) => {
        delete (s.metadata as unknown as Loose).user;
      },
      "session: metadata.user must be a string, got a value of type undefined",
    ],
    [
      "condition",
      (s) => {
        (s.metadata as unknown as Loose).condition = null;
      },
      "session: metadata.condition must be a string, got null",
    ],
    [
      "durationMins",
      (s) => {
        (s.metadata as unknown as Loose).durationMins = "1";
      },
      "session: metadata.durationMins must be a finite number, got a value of type string",
    ],
    [
      "metadata",
      (s) => {
        (s as unknown as Loose).metadata = undefined;
      },
      "session: metadata must be an object",
    ],
    [
      "keystrokes",
      (s) => {
        (s as unknown as Loose).keystrokes = {};
      },
      "session: keystrokes must be an array, got a value of type object",
    ],
    [
      "prompts",
      (s) => {
        (s as unknown as Loose).prompts = "[]";
      },
      "session: prompts must be an array, got a value of type string",
    ],
    [
      "unserialisable keystrokes",
      (s) => {
        const keystroke: SessionData["keystrokes"][number] = { key: "a", start: 0, end: 1 };
        keystroke.self = keystroke;
        s.keystrokes = [keystroke];
      },
      "session: keystrokes cannot be written as JSON: Converting circular structure to JSON",
    ],
  ];

  it.each(cases)("rejects bad %s with a one-line EmgIoError", (_, spoil, message) => {
    const session = makeSession(4);
    spoil(session);
    let error: unknown;
    try {
      encodeSession(session);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EmgIoError);
    expect((error as Error).message).toBe(message);
  });

  it.each([0, 1.5, -3, 2 ** 30])("rejects chunkRows %s", (chunkRows) => {
    expect(() => sessionFileParts(makeSession(4), { chunkRows })).toThrowError(
      new EmgIoError(
        "session",
        `chunkRows must be an integer from 1 to 31580641, got ${chunkRows}`,
      ),
    );
  });
});

describe("writeSession", () => {
  const entries = () => readdirSync(workDir).sort();

  it("writes the encoded file, replacing an existing one, and leaves no temp file", async () => {
    const path = join(workDir, "session.hdf5");
    writeFileSync(path, "old contents");
    const session = makeSession(500);
    const before = entries();
    await writeSession(path, session, { chunkRows: 64 });
    expect(entries()).toEqual(before);
    expect(readFileSync(path).equals(encodeSession(session, { chunkRows: 64 }))).toBe(true);
  });

  it("keeps the old file when the session is invalid, naming the path", async () => {
    const path = join(workDir, "keep-on-invalid.hdf5");
    writeFileSync(path, "old contents");
    const before = entries();
    const session = makeSession(5);
    session.time[3] = Number.POSITIVE_INFINITY;
    await expect(writeSession(path, session)).rejects.toThrowError(
      new EmgIoError(path, "time[3] is Infinity; times must be finite"),
    );
    expect(entries()).toEqual(before);
    expect(readFileSync(path, "utf8")).toBe("old contents");
  });

  it("removes the temp file and keeps the old file when a write fails midway", async () => {
    const path = join(workDir, "keep-on-disk-error.hdf5");
    writeFileSync(path, "old contents");
    const before = entries();
    const realOpen = vi.mocked(fsPromises.open).getMockImplementation();
    vi.mocked(fsPromises.open).mockImplementationOnce(async (...args) => {
      const handle = await (realOpen as typeof fsPromises.open)(...args);
      let writes = 0;
      const realWrite = handle.write.bind(handle) as (data: Uint8Array, offset: number) => unknown;
      (handle as unknown as { write: unknown }).write = async (
        data: Uint8Array,
        offset: number,
      ) => {
        if (++writes === 3)
          throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
        return realWrite(data, offset);
      };
      return handle;
    });
    await expect(writeSession(path, makeSession(1000), { chunkRows: 100 })).rejects.toThrow(
      "ENOSPC",
    );
    expect(entries()).toEqual(before);
    expect(readFileSync(path, "utf8")).toBe("old contents");
  });

  it("removes the temp file when the final rename fails", async () => {
    const path = join(workDir, "occupied-directory");
    mkdirSync(path);
    writeFileSync(join(path, "inside.txt"), "keep");
    const before = entries();
    await expect(writeSession(path, makeSession(10))).rejects.toThrow();
    expect(entries()).toEqual(before);
    expect(readFileSync(join(path, "inside.txt"), "utf8")).toBe("keep");
  });

  it("fails without a trace when the directory does not exist", async () => {
    const path = join(workDir, "missing-dir", "session.hdf5");
    await expect(writeSession(path, makeSession(10))).rejects.toThrow("ENOENT");
    expect(existsSync(join(workDir, "missing-dir"))).toBe(false);
  });
});
