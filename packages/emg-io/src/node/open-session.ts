import { closeSync, openSync, readSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { EmgIoError } from "../errors.js";
import { type H5Lib, openH5File } from "../h5wasm-lib.js";
import { checkHdf5Header, HDF5_HEADER_BYTES } from "../hdf5-header.js";
import { openSessionBytes, type SessionBytes } from "../open-session.js";
import { Session } from "../session.js";

/**
 * Opens an emg2qwerty session file by path (read from disk on demand: only
 * metadata is loaded), or from bytes in memory. Throws a one-line
 * `EmgIoError` naming the file for a missing file, a non-HDF5 or truncated
 * file, or a file that is not an emg2qwerty session.
 */
export async function openSession(source: string | SessionBytes, name?: string): Promise<Session> {
  if (typeof source !== "string") return openSessionBytes(source, name);
  const label = name ?? source;
  const path = resolve(source);
  checkHdf5Header(readHead(path, label), fileSize(path, label), label);
  const h5 = await import("h5wasm/node");
  await h5.ready;
  const lib: H5Lib = { File: h5.File, Module: h5.Module };
  return new Session(lib, openH5File(lib, path, label), label);
}

function fileSize(path: string, label: string): number {
  let size: number;
  let isFile: boolean;
  try {
    const stats = statSync(path);
    size = stats.size;
    isFile = stats.isFile();
  } catch {
    throw new EmgIoError(label, "no such file");
  }
  if (!isFile) throw new EmgIoError(label, "not a file");
  return size;
}

function readHead(path: string, label: string): Uint8Array {
  fileSize(path, label);
  const head = new Uint8Array(HDF5_HEADER_BYTES);
  const fd = openSync(path, "r");
  try {
    return head.subarray(0, readSync(fd, head, 0, head.length, 0));
  } finally {
    closeSync(fd);
  }
}
