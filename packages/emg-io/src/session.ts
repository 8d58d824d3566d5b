import type { Attribute, Dataset, Group, File as H5File } from "h5wasm";
import { EmgIoError } from "./errors.js";
import { type H5Lib, type H5RawModule, hdf5ErrorSummary } from "./h5wasm-lib.js";
import { LabelData } from "./label-data.js";
import {
  CHANNELS_PER_BAND,
  type Keystroke,
  NUM_BANDS,
  type Prompt,
  type SessionMetadata,
} from "./session-types.js";
import { TimeseriesLayout } from "./timeseries-layout.js";

/** A window of a session: raw EMG and its sample times. */
export interface EmgWindow {
  /** Sample times, unix seconds. Shape (T,). */
  time: Float64Array;
  /** EMG, row-major (T, band=2, channel=16), band 0 = left. */
  emg: Float32Array;
}

const GROUP = "emg2qwerty";
const TIMESERIES = `/${GROUP}/timeseries`;
const ATTRIBUTES = ["session_name", "user", "condition", "duration_mins", "keystrokes", "prompts"];
/** Rows read per step when scanning times (about 0.5 MB). */
const SCAN_ROWS = 4096;

/**
 * An open emg2qwerty session file: metadata and ground truth in memory, EMG
 * read from the file on demand (emg2qwerty's `EMGSessionData`). Windows come
 * back as typed arrays decoded straight from HDF5's raw rows.
 */
export class Session {
  readonly metadata: SessionMetadata;
  readonly keystrokes: Keystroke[];
  readonly prompts: Prompt[];
  /** Number of samples. */
  readonly length: number;
  private readonly layout: TimeseriesLayout;
  private closed = false;
  private buffer = { pointer: 0, bytes: 0 };

  /**
   * Validates the layout and parses the attributes of an h5wasm file that is
   * already open; closes it and throws a one-line `EmgIoError` when the file
   * is not an emg2qwerty session. Use `openSession` rather than this.
   */
  constructor(
    private readonly lib: H5Lib,
    private readonly file: H5File,
    /** The file name used in error messages. */
    readonly source: string,
    private readonly onClose: () => void = () => {},
  ) {
    try {
      const group = this.entity(GROUP, "Group", `no "${GROUP}" group`) as Group;
      const dataset = this.entity(
        TIMESERIES,
        "Dataset",
        `no "${GROUP}/timeseries" dataset`,
      ) as Dataset;
      this.layout = TimeseriesLayout.fromMetadata(dataset.metadata, source);
      this.length = Number(dataset.shape?.[0] ?? 0);
      const attrs = group.attrs;
      const missing = ATTRIBUTES.filter((name) => !(name in attrs));
      if (missing.length > 0) {
        throw new EmgIoError(source, `"${GROUP}" group lacks attribute(s) ${missing.join(", ")}`);
      }
      this.metadata = {
        sessionName: String(scalar(attrs.session_name)),
        user: String(scalar(attrs.user)),
        condition: String(scalar(attrs.condition)),
        durationMins: Number(scalar(attrs.duration_mins)),
      };
      this.keystrokes = parseJsonList(attrs.keystrokes, "keystrokes", source) as Keystroke[];
      this.prompts = parseJsonList(attrs.prompts, "prompts", source) as Prompt[];
    } catch (error) {
      try {
        this.close();
      } catch {
        // the open error below says more than a failure to close a broken file
      }
      throw error instanceof EmgIoError ? error : new EmgIoError(source, hdf5ErrorSummary(error));
    }
  }

  /**
   * Samples [start, end) by index, in new arrays. Throws when the window lies
   * outside [0, length] or when its timestamps go backwards.
   */
  read(start: number, end: number): EmgWindow {
    this.checkWindow(start, end);
    const rows = end - start;
    const window =
      rows === 0 ? emptyWindow() : this.layout.decode(this.readRows(start, rows), rows);
    return this.checkTimes(window, start);
  }

  /**
   * Samples from `start` into the given arrays, as many as `window.time` has
   * room for (EMG must hold 32 values per sample): no allocation, for loops
   * that read many windows of one size.
   */
  readInto(start: number, window: EmgWindow): EmgWindow {
    const rows = window.time.length;
    this.checkWindow(start, start + rows);
    if (window.emg.length !== rows * NUM_BANDS * CHANNELS_PER_BAND) {
      throw new RangeError(
        `emg holds ${window.emg.length} values; ${rows} samples need ${rows * 32}`,
      );
    }
    if (rows > 0) this.layout.decode(this.readRows(start, rows), rows, window);
    return this.checkTimes(window, start);
  }

  /**
   * Samples whose times lie in [startT, endT) (emg2qwerty's `slice`, bounds by
   * `searchsorted`).
   */
  readTime(startT = -Infinity, endT = Infinity): EmgWindow {
    const start = this.indexOfTime(startT);
    return this.read(start, Math.max(start, this.indexOfTime(endT)));
  }

  /**
   * First sample index whose time is >= t (numpy `searchsorted`, side left),
   * by binary search over single rows, then one block: reads a few rows, not
   * the whole time column.
   */
  indexOfTime(t: number): number {
    this.assertOpen();
    if (Number.isNaN(t)) throw new EmgIoError(this.source, "time NaN is not a valid window bound");
    let lo = 0;
    let hi = this.length;
    while (hi - lo > SCAN_ROWS) {
      const mid = (lo + hi) >>> 1;
      if (this.timeAt(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    const { time } = this.read(lo, hi);
    let i = 0;
    while (i < time.length && (time[i] as number) < t) i++;
    return lo + i;
  }

  /**
   * All sample times (emg2qwerty's `timestamps`), read in blocks; throws where
   * they go backwards. Reads the whole file: keep it off hot paths.
   */
  readTimestamps(): Float64Array {
    const out = new Float64Array(this.length);
    for (let start = 0; start < this.length; start += SCAN_ROWS) {
      const end = Math.min(this.length, start + SCAN_ROWS);
      out.set(this.read(Math.max(0, start - 1), end).time.subarray(start === 0 ? 0 : 1), start);
    }
    return out;
  }

  /**
   * Ground truth of keys pressed in [startT, endT] (keystrokes when the
   * condition is "on_keyboard", prompts otherwise), as emg2qwerty's
   * `ground_truth`.
   */
  groundTruth(startT = -Infinity, endT = Infinity): LabelData {
    return this.metadata.condition === "on_keyboard"
      ? LabelData.fromKeystrokes(this.keystrokes, { startT, endT })
      : LabelData.fromPrompts(this.prompts, { startT, endT });
  }

  /** Releases the file (and its in-memory copy in browsers). Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.buffer.pointer !== 0) this.lib.Module._free(this.buffer.pointer);
    this.buffer = { pointer: 0, bytes: 0 };
    try {
      this.file.close();
    } finally {
      this.onClose();
    }
  }

  /** One-line summary, as emg2qwerty prints a session. */
  toString(): string {
    return (
      `Session ${this.metadata.sessionName}: (${this.length} EMG samples, ` +
      `${this.keystrokes.length} keystrokes, ${this.metadata.durationMins.toFixed(2)} mins)`
    );
  }

  private checkWindow(start: number, end: number): void {
    this.assertOpen();
    if (
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      start < 0 ||
      end > this.length ||
      start > end
    ) {
      throw new EmgIoError(
        this.source,
        `window [${start}, ${end}) is out of range for ${this.length} samples`,
      );
    }
  }

  private checkTimes(window: EmgWindow, start: number): EmgWindow {
    const backwards = firstDecrease(window.time);
    if (backwards >= 0) {
      throw new EmgIoError(this.source, `timestamps go backwards at sample ${start + backwards}`);
    }
    return window;
  }

  private timeAt(index: number): number {
    return this.read(index, index + 1).time[0] as number;
  }

  /** Raw native rows [start, start + rows) in a reused wasm buffer; a view valid until the next read. */
  private readRows(start: number, rows: number): Uint8Array {
    const module: H5RawModule = this.lib.Module;
    const bytes = rows * this.layout.rowBytes;
    if (bytes > this.buffer.bytes) {
      if (this.buffer.pointer !== 0) module._free(this.buffer.pointer);
      const pointer = module._malloc(bytes);
      if (pointer === 0)
        throw new EmgIoError(this.source, `cannot allocate ${bytes} bytes to read`);
      this.buffer = { pointer, bytes };
    }
    try {
      const status = module.get_dataset_data(
        this.file.file_id,
        TIMESERIES,
        [BigInt(rows)],
        [BigInt(start)],
        [1n],
        BigInt(this.buffer.pointer),
      );
      if (status < 0) throw new Error(`read failed with status ${status}`);
    } catch (error) {
      throw new EmgIoError(
        this.source,
        `cannot read samples [${start}, ${start + rows}): ${hdf5ErrorSummary(error)}`,
      );
    }
    return module.HEAPU8.subarray(this.buffer.pointer, this.buffer.pointer + bytes);
  }

  private entity(path: string, kind: "Group" | "Dataset", problem: string): unknown {
    const found = this.file.get(path);
    if (found === null || (found as { type?: string }).type !== kind)
      throw new EmgIoError(this.source, problem);
    return found;
  }

  private assertOpen(): void {
    if (this.closed) throw new EmgIoError(this.source, "session is closed");
  }
}

function emptyWindow(): EmgWindow {
  return { time: new Float64Array(0), emg: new Float32Array(0) };
}

/** Index of the first sample whose time is below the one before, or -1. */
function firstDecrease(time: Float64Array): number {
  for (let i = 1; i < time.length; i++) {
    if (!((time[i] as number) >= (time[i - 1] as number))) return i;
  }
  return -1;
}

function scalar(attribute: Attribute | undefined): unknown {
  const value = attribute?.value;
  const first =
    ArrayBuffer.isView(value) || Array.isArray(value) ? (value as ArrayLike<unknown>)[0] : value;
  return typeof first === "bigint" ? Number(first) : first;
}

function parseJsonList(attribute: Attribute | undefined, name: string, source: string): unknown[] {
  const text = scalar(attribute);
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(text));
  } catch (error) {
    throw new EmgIoError(
      source,
      `${name} attribute is not valid JSON (${(error as Error).message})`,
    );
  }
  if (!Array.isArray(parsed)) throw new EmgIoError(source, `${name} attribute is not a JSON list`);
  return parsed;
}
