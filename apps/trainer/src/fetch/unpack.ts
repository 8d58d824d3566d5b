import { createReadStream } from "node:fs";
import { open, readdir, stat } from "node:fs/promises";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Unpack } from "tar";
import { CliError } from "../errors.js";
import type { ByteProgress } from "./download.js";

/** The archive itself is bad (not gzip, not tar, truncated): deleting it is right. */
export class BadArchiveError extends CliError {}

async function startsWithGzipMagic(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * Unpacks the gzip-compressed tar `archive` into the existing folder `into`
 * and returns the names it put at the top level. Refuses entries that would
 * land outside `into` (absolute paths, `..`). Progress counts compressed bytes
 * read. A file that is not gzip, not tar, truncated or empty is a
 * BadArchiveError; a failure to write (disk full, permissions) a CliError.
 */
export async function unpackTarGz(
  archive: string,
  into: string,
  onProgress?: ByteProgress,
): Promise<string[]> {
  if (!(await startsWithGzipMagic(archive))) {
    throw new BadArchiveError(`${archive} is not a gzip file (a .tar.gz was expected)`);
  }
  const size = (await stat(archive)).size;
  let done = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      done += chunk.length;
      onProgress?.(done, size);
      callback(null, chunk);
    },
  });
  const unpack = new Unpack({ cwd: into, strict: true, preserveOwner: false });
  const finished = new Promise<void>((resolve, reject) => {
    unpack.on("close", resolve);
    unpack.on("error", reject);
  });
  try {
    await Promise.all([pipeline(createReadStream(archive), counter, unpack), finished]);
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    const reason = (message ?? String(error)).split("\n")[0]?.replace(/^TAR_[A-Z_]+: /, "");
    if (code === "TAR_BAD_ARCHIVE" || code === "TAR_ENTRY_INVALID" || code === "TAR_ABORT") {
      throw new BadArchiveError(`${archive} is not a valid tar archive: ${reason}`);
    }
    if (code?.startsWith("Z_") === true) {
      throw new BadArchiveError(`${archive} is corrupt gzip data: ${reason}`);
    }
    if (code?.startsWith("TAR_ENTRY") === true) {
      throw new BadArchiveError(
        `${archive} has an entry that cannot be unpacked safely: ${reason}`,
      );
    }
    throw new CliError(`cannot unpack ${archive} into ${into}: ${reason}`);
  }
  const entries = (await readdir(into)).sort();
  if (entries.length === 0) throw new BadArchiveError(`${archive} contains no files`);
  return entries;
}
