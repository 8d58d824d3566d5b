import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { type FileHandle, open, readFile, rm, stat, statfs, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CliError } from "../errors.js";
import {
  classifyNetworkError,
  httpStatusError,
  networkReason,
  openUrl,
  TransientError,
} from "./http.js";

/** Progress of one step: bytes done and total (undefined while unknown). */
export type ByteProgress = (done: number, total: number | undefined) => void;

export interface DownloadOptions {
  /** Where the bytes go while they arrive; resumed when it already exists. */
  partPath: string;
  /** Consecutive failed attempts retried before giving up (an attempt that got bytes resets the count). Default 5. */
  retries?: number;
  /** Wait before retry n is n * retryDelayMs. Default 2000. */
  retryDelayMs?: number;
  /** Give up on an attempt after this long without a byte. Default 60000. */
  timeoutMs?: number;
  /** Called as bytes arrive (done counts the bytes already in the .part file too). */
  onProgress?: ByteProgress;
  /** Called while an existing .part file is hashed before resuming. */
  onHashProgress?: ByteProgress;
  /** One-line notes for the user (resuming, retrying, restarting). */
  log?: (line: string) => void;
}

export interface DownloadResult {
  /** Size of the finished file. */
  bytes: number;
  /** sha256 of the finished file, lower-case hex. */
  sha256: string;
  /** Bytes that were already in the .part file when this call started. */
  resumedFrom: number;
  /** Bytes received by this call (a restart counts its bytes again). */
  received: number;
  /** HTTP requests made (retries and restarts included). */
  requests: number;
  /** Times the download started over from byte 0 after having bytes (server ignored Range, file changed). */
  restarts: number;
  /** The URL that served the bytes, after redirects. */
  finalUrl: string;
}

/** What `<part>.json` remembers between runs, so a resume asks for the same file. */
interface PartState {
  url: string;
  etag?: string;
  lastModified?: string;
  total?: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isMissing(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "ENOENT";
}

async function readState(path: string): Promise<PartState | undefined> {
  try {
    const value = JSON.parse(await readFile(path, "utf8")) as PartState;
    return typeof value.url === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** sha256 of a file's first `length` bytes (its whole size when omitted), with progress. */
export async function hashFile(
  path: string,
  onProgress?: ByteProgress,
  length?: number,
): Promise<Hash> {
  const size = length ?? (await stat(path)).size;
  const hash = createHash("sha256");
  if (size === 0) return hash;
  let done = 0;
  for await (const chunk of createReadStream(path, { end: size - 1 })) {
    const buffer = chunk as Buffer;
    hash.update(buffer);
    done += buffer.length;
    onProgress?.(done, size);
  }
  return hash;
}

/** `bytes a-b/total` or `bytes *\/total` -> numbers (undefined where absent or `*`). */
export function parseContentRange(header: string | undefined): {
  start?: number;
  total?: number;
} {
  const match = /^bytes\s+(?:(\d+)-\d+|\*)\/(\d+|\*)$/i.exec(header?.trim() ?? "");
  if (match === null) return {};
  return {
    start: match[1] === undefined ? undefined : Number(match[1]),
    total: match[2] === undefined || match[2] === "*" ? undefined : Number(match[2]),
  };
}

async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

async function checkFreeSpace(path: string, needed: number, url: string): Promise<void> {
  let free: number;
  try {
    const fs = await statfs(dirname(path));
    free = fs.bavail * fs.bsize;
  } catch {
    return; // statfs unsupported here: the write itself will say ENOSPC.
  }
  if (free < needed) {
    const gb = (n: number) => `${(n / 1e9).toFixed(1)} GB`;
    throw new CliError(
      `not enough disk space for ${url}: ${gb(needed)} still to download, ${gb(free)} free in ${dirname(path)}`,
    );
  }
}

/**
 * Downloads `url` into `options.partPath`, resuming what is already there.
 *
 * A resume sends `Range: bytes=<size>-` plus `If-Range` with the ETag (strong
 * only) or Last-Modified the server gave before. 206 from the right offset
 * appends; a 200 means the server ignored the range or the file changed, so
 * the download starts over. Dropped connections and stalls are retried with
 * Range; giving up leaves the .part file for the next run. The sha256 is kept
 * in step with what is on disk, so the caller can check it without reading
 * the file again.
 */
export async function downloadResumable(
  url: string,
  options: DownloadOptions,
): Promise<DownloadResult> {
  const { partPath } = options;
  const statePath = `${partPath}.json`;
  const retries = options.retries ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 2000;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const log = options.log ?? (() => {});

  let state = await readState(statePath);
  let have = 0;
  try {
    have = (await stat(partPath)).size;
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  if (have > 0 && state !== undefined && state.url !== url) {
    log(`${partPath} was downloaded from ${state.url}; starting over for ${url}`);
    have = 0;
    state = undefined;
  }
  let hash =
    have > 0 ? await hashFile(partPath, options.onHashProgress, have) : createHash("sha256");
  const resumedFrom = have;
  if (have > 0) log(`resuming ${url} at byte ${have}`);

  let requests = 0;
  let received = 0;
  let restarts = 0;
  let failures = 0;
  let finalUrl = url;

  const restart = (why: string) => {
    if (have > 0) {
      log(`${why}; starting ${url} over`);
      restarts++;
    }
    have = 0;
    hash = createHash("sha256");
  };

  for (;;) {
    const headers: Record<string, string> = { "accept-encoding": "identity" };
    if (have > 0) {
      headers.range = `bytes=${have}-`;
      const validator =
        state?.etag !== undefined && !state.etag.startsWith("W/")
          ? state.etag
          : state?.lastModified;
      if (validator !== undefined) headers["if-range"] = validator;
    }
    const gotBefore = have;
    try {
      requests++;
      const opened = await openUrl(url, headers, timeoutMs);
      finalUrl = opened.url;
      const { response } = opened;
      const status = response.statusCode ?? 0;
      let total: number | undefined;

      if (status === 416 && have > 0) {
        response.resume();
        const { total: size } = parseContentRange(response.headers["content-range"]);
        if (size === have) break; // The .part file already holds the whole file.
        restart(`the server cannot serve byte ${have} onwards`);
        continue;
      }
      if (status === 206) {
        const range = parseContentRange(response.headers["content-range"]);
        if (range.start !== have || have === 0) {
          response.resume();
          if (have === 0) throw new CliError(`cannot download ${url}: unexpected HTTP 206`);
          restart(`the server sent bytes from ${range.start ?? "?"} instead of ${have}`);
          continue;
        }
        total = range.total;
      } else if (status === 200) {
        if (have > 0) restart("the server ignored the Range request or the file changed");
        const length = Number(response.headers["content-length"] ?? Number.NaN);
        total = Number.isFinite(length) ? length : undefined;
      } else {
        response.resume();
        throw httpStatusError(status, response.statusMessage, opened.url);
      }

      if (status === 200 || state === undefined) {
        const etag = response.headers.etag;
        const lastModified = response.headers["last-modified"];
        state = { url };
        if (etag !== undefined) state.etag = etag;
        if (lastModified !== undefined) state.lastModified = lastModified;
      }
      if (total !== undefined) state.total = total;
      await writeFile(statePath, `${JSON.stringify(state)}\n`);
      if (total !== undefined) await checkFreeSpace(partPath, total - have, url);

      const handle = await open(partPath, have === 0 ? "w" : "a");
      const currentHash = hash;
      let writing: Promise<void> = Promise.resolve();
      const sink = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          writing = writeAll(handle, chunk).then(() => {
            // Hash only what reached the file, so hash and .part stay in step.
            currentHash.update(chunk);
            have += chunk.length;
            received += chunk.length;
            options.onProgress?.(have, total);
          });
          writing.then(() => callback(), callback);
        },
      });
      try {
        await pipeline(response, sink);
      } finally {
        // A write still under way when the connection broke must land (or fail) first.
        await writing.catch(() => {});
        await handle.close();
      }
      if (total !== undefined && have < total) {
        throw new TransientError(`connection closed after ${have} of ${total} bytes`);
      }
      break;
    } catch (caught) {
      const error =
        caught instanceof Error && "code" in caught ? classifyNetworkError(caught, url) : caught;
      if (!(error instanceof TransientError)) throw error;
      failures = have > gotBefore ? 1 : failures + 1;
      if (failures > retries) {
        const reason = networkReason(error);
        const tries = failures > 1 ? ` (tried ${failures} times)` : "";
        if (have === 0) {
          await removePart(partPath);
          throw new CliError(`cannot download ${url}: ${reason}${tries}`);
        }
        const total = state?.total === undefined ? "" : ` of ${state.total}`;
        throw new CliError(
          `download of ${url} stopped at byte ${have}${total} (${reason}${tries}); run the same command again to resume from ${partPath}`,
        );
      }
      log(`${networkReason(error)} at byte ${have}; retrying ${url} (${failures}/${retries})`);
      await sleep(retryDelayMs * failures);
    }
  }

  return {
    bytes: have,
    sha256: hash.digest("hex"),
    resumedFrom,
    received,
    requests,
    restarts,
    finalUrl,
  };
}

/** Removes a .part file and the state that goes with it. */
export async function removePart(partPath: string): Promise<void> {
  await rm(partPath, { force: true });
  await rm(`${partPath}.json`, { force: true });
}
