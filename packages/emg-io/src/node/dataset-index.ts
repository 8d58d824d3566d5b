import { readdirSync } from "node:fs";
import { join } from "node:path";
import { type DatasetIndex, type SessionSummary, summarizeSessions } from "../dataset-index.js";
import { EmgIoError } from "../errors.js";
import { openSession } from "./open-session.js";

/**
 * Scans a folder for `*.hdf5` sessions (not recursing) and summarizes them:
 * users, sessions, durations, keystroke and prompt counts. Reads only each
 * file's metadata. Files that are not readable sessions are listed in
 * `errors`, one line each, and do not stop the scan.
 *
 * @param onProgress called after each file with (done, total)
 */
export async function indexDataset(
  root: string,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<DatasetIndex> {
  let names: string[];
  try {
    names = readdirSync(root)
      .filter((name) => name.endsWith(".hdf5"))
      .sort();
  } catch {
    throw new EmgIoError(root, "no such folder");
  }
  const sessions: SessionSummary[] = [];
  const errors: string[] = [];
  for (const [i, name] of names.entries()) {
    const path = join(root, name);
    try {
      const session = await openSession(path);
      const { metadata } = session;
      sessions.push({
        path,
        ...metadata,
        numSamples: session.length,
        numKeystrokes: session.keystrokes.length,
        numPrompts: session.prompts.length,
      });
      session.close();
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    }
    onProgress(i + 1, names.length);
  }
  return summarizeSessions(sessions, errors);
}
