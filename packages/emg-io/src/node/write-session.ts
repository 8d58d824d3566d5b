/**
 * Writes a session file atomically: the bytes go to a temporary file next to
 * the destination, which is flushed to disk and then renamed over it, so a
 * reader sees either the old file or the complete new one, never a torn one.
 */
import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { SessionWriteOptions } from "../hdf5/session-file.js";
import { sessionFileParts } from "../hdf5/session-file.js";
import type { SessionData } from "../session-types.js";

/**
 * Writes `session` as an emg2qwerty HDF5 file at `path`, replacing any file
 * there. On failure the temporary file is removed and an existing `path` is
 * left as it was.
 * @throws EmgIoError (naming `path`) when the session or options are invalid;
 *   file-system errors are passed on as they are
 */
export async function writeSession(
  path: string,
  session: SessionData,
  options: SessionWriteOptions = {},
): Promise<void> {
  // Validates and builds the metadata before any file is touched.
  const parts = sessionFileParts(session, options, path);
  // Same directory, so the rename stays on one file system and is atomic.
  const tempPath = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  const file = await open(tempPath, "wx");
  try {
    try {
      for (const part of parts) {
        // A write may take fewer bytes than offered; go on until the part is out.
        for (let done = 0; done < part.length; ) {
          done += (await file.write(part, done)).bytesWritten;
        }
      }
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tempPath, path);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
}
