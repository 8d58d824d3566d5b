/**
 * Checks a `SessionData` before any byte is written, so a bad session fails
 * with one clear `EmgIoError` instead of producing a file emg2qwerty rejects.
 */
import { EmgIoError } from "../errors.js";
import { CHANNELS_PER_BAND, NUM_BANDS, type SessionData } from "../session-types.js";

const FLOATS_PER_SAMPLE = NUM_BANDS * CHANNELS_PER_BAND;

/** Returns the row count T. */
export function validateSession(session: SessionData, source: string): number {
  function fail(problem: string): never {
    throw new EmgIoError(source, problem);
  }
  if (typeof session !== "object" || session === null) fail("session must be an object");
  const { metadata, time, emg, keystrokes, prompts } = session;

  if (typeof metadata !== "object" || metadata === null) fail("metadata must be an object");
  for (const field of ["sessionName", "user", "condition"] as const) {
    if (typeof metadata[field] !== "string") {
      fail(`metadata.${field} must be a string, got ${describe(metadata[field])}`);
    }
  }
  if (typeof metadata.durationMins !== "number" || !Number.isFinite(metadata.durationMins)) {
    fail(`metadata.durationMins must be a finite number, got ${describe(metadata.durationMins)}`);
  }
  if (!Array.isArray(keystrokes)) fail(`keystrokes must be an array, got ${describe(keystrokes)}`);
  if (!Array.isArray(prompts)) fail(`prompts must be an array, got ${describe(prompts)}`);

  if (!(time instanceof Float64Array)) fail(`time must be a Float64Array, got ${describe(time)}`);
  if (!(emg instanceof Float32Array)) fail(`emg must be a Float32Array, got ${describe(emg)}`);
  const rows = time.length;
  if (rows < 1) fail("time is empty; a session needs at least one sample");
  if (emg.length !== rows * FLOATS_PER_SAMPLE) {
    fail(
      `emg has ${emg.length} values; expected ${rows * FLOATS_PER_SAMPLE} (${rows} samples × ${NUM_BANDS} bands × ${CHANNELS_PER_BAND} channels)`,
    );
  }
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < rows; i++) {
    const t = time[i] as number;
    if (!Number.isFinite(t)) fail(`time[${i}] is ${t}; times must be finite`);
    if (t < previous)
      fail(`time[${i}] = ${t} is before time[${i - 1}] = ${previous}; times must not decrease`);
    previous = t;
  }
  return rows;
}

/** JSON text of a ground-truth list, as emg2qwerty's `json.loads` reads it. */
export function groundTruthJson(name: string, value: unknown[], source: string): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    throw new EmgIoError(source, `${name} cannot be written as JSON: ${reason}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === "number") return String(value);
  return `a value of type ${typeof value}`;
}
