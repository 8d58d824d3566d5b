/**
 * Shapes of an emg2qwerty session, as stored in its HDF5 file.
 *
 * Layout of the file (what `writeSession` writes and `openSession` reads):
 * group `emg2qwerty` with
 * - dataset `timeseries`: compound rows `{ time: <f8, emg_left: <f4[16], emg_right: <f4[16] }`
 * - attributes `session_name`, `user`, `condition` (strings), `duration_mins` (float64),
 *   `keystrokes` and `prompts` (JSON strings).
 */

/** Samples per second of the emg2qwerty wristbands. */
export const SAMPLE_RATE_HZ = 2000;
/** Wristbands per session: band 0 is the left wrist, band 1 the right. */
export const NUM_BANDS = 2;
/** Electrode channels per band. */
export const CHANNELS_PER_BAND = 16;

/** One key press from the keylogger: pynput key name, press and release times (unix seconds). */
export interface Keystroke {
  key: string;
  start: number;
  end: number;
  [extra: string]: unknown;
}

/** One prompt shown to the typist, with the times it was on screen (unix seconds). */
export interface Prompt {
  start: number;
  end: number;
  payload: { text: string; [extra: string]: unknown } | null;
  [extra: string]: unknown;
}

/** Session attributes other than the ground truth. */
export interface SessionMetadata {
  sessionName: string;
  user: string;
  /** `"on_keyboard"` in emg2qwerty; other conditions use prompts as ground truth. */
  condition: string;
  durationMins: number;
}

/** A whole session in memory, as `writeSession` takes it. */
export interface SessionData {
  metadata: SessionMetadata;
  keystrokes: Keystroke[];
  prompts: Prompt[];
  /** Sample times, unix seconds. Shape (T,). */
  time: Float64Array;
  /** EMG in row-major (T, band=2, channel=16), band 0 = left. */
  emg: Float32Array;
}
