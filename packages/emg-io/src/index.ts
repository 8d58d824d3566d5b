/**
 * @emgkit/emg-io: emg2qwerty sessions (HDF5), its character set and labels,
 * user splits, dataset statistics and 8-channel finger CSV recordings.
 *
 * This is the browser-safe entry. Under Node, `@emgkit/emg-io` resolves to the
 * Node entry (`./node`), which adds file paths to `openSession` and
 * `loadSplit`, plus `writeSession`, `checkSplitFiles`, `indexDataset` and
 * `readFingerCsv`.
 */
import { EmgIoError } from "./errors.js";
import { openSessionBytes, type SessionBytes } from "./open-session.js";
import type { Session } from "./session.js";

export { CharacterSet, charset, type KeyName } from "./charset.js";
export {
  type DatasetIndex,
  formatDatasetIndex,
  type SessionSummary,
  summarizeSessions,
  type UserSummary,
} from "./dataset-index.js";
export { EmgIoError } from "./errors.js";
export {
  FINGER_CLASS_NAMES,
  FINGER_CSV_CHANNELS,
  FINGER_CSV_DEFAULT_SAMPLE_RATE_HZ,
  type FingerCsvOptions,
  type FingerRecording,
  parseFingerCsv,
  type TimestampUnit,
} from "./finger-csv.js";
export {
  DEFAULT_CHUNK_ROWS,
  encodeSession,
  type SessionWriteOptions,
  sessionFileParts,
} from "./hdf5/session-file.js";
export { LabelData, type TimeWindow } from "./label-data.js";
export type { SessionBytes } from "./open-session.js";
export { type EmgWindow, Session } from "./session.js";
export {
  CHANNELS_PER_BAND,
  type Keystroke,
  NUM_BANDS,
  type Prompt,
  SAMPLE_RATE_HZ,
  type SessionData,
  type SessionMetadata,
} from "./session-types.js";
export {
  builtinSplit,
  builtinSplitNames,
  loadSplit,
  looksLikeSplitYaml,
  parseSplit,
  SPLIT_PARTS,
  type Split,
  type SplitEntry,
  type SplitPart,
  type SplitSessionPaths,
  splitSessionPaths,
} from "./splits.js";

/**
 * Opens an emg2qwerty session from a URL (fetched whole), a `File`/`Blob` or
 * bytes. Metadata and ground truth are parsed at once; EMG windows are decoded
 * on demand with `read` / `readTime`. Call `close()` when done.
 */
export async function openSession(source: string | SessionBytes, name?: string): Promise<Session> {
  if (typeof source !== "string") return openSessionBytes(source, name);
  const response = await fetch(source);
  if (!response.ok) throw new EmgIoError(source, `HTTP ${response.status}`);
  return openSessionBytes(await response.arrayBuffer(), name ?? source);
}
