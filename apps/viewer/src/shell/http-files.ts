/**
 * The served folder of `emgkit view`: `GET api/files?dir=<relative>` lists a folder and
 * `files/<path>` serves a file, both relative to the page, so the viewer works under any path.
 */
import type { FileEntry, FileSource } from "../app-context.js";

/** `files/<path>` with each path segment URL-encoded. */
export function servedFileUrl(path: string): string {
  return `files/${path.split("/").map(encodeURIComponent).join("/")}`;
}

async function listing(dir: string): Promise<FileEntry[]> {
  const response = await fetch(`api/files?dir=${encodeURIComponent(dir)}`);
  if (!response.ok) {
    const detail = (await response.text()).trim().split("\n")[0] ?? "";
    throw new Error(`cannot list "${dir || "/"}": HTTP ${response.status} ${detail}`.trim());
  }
  const body = (await response.json()) as { entries?: unknown };
  if (!Array.isArray(body.entries)) throw new Error(`cannot list "${dir || "/"}": no entries`);
  return body.entries as FileEntry[];
}

/**
 * A URL's bytes, streamed into one buffer of the announced size (no second copy, unlike
 * `arrayBuffer()` in some browsers), reporting progress as they come.
 */
export async function fetchBytes(
  url: string,
  onProgress: (received: number, total: number) => void = () => {},
): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
  const total = Number(response.headers.get("Content-Length"));
  if (response.body === null || !Number.isSafeInteger(total) || total <= 0) {
    return new Uint8Array(await response.arrayBuffer());
  }
  let buffer = new Uint8Array(total);
  let received = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (received + value.length > buffer.length) {
      // More than announced (a compressed transfer): grow.
      const grown = new Uint8Array(Math.max(buffer.length * 2, received + value.length));
      grown.set(buffer.subarray(0, received));
      buffer = grown;
    }
    buffer.set(value, received);
    received += value.length;
    onProgress(received, total);
  }
  return received === buffer.length ? buffer : buffer.subarray(0, received);
}

/** The served folder as a `FileSource`. */
export const httpFileSource: FileSource = {
  list: listing,
  async read(path: string): Promise<ArrayBuffer> {
    const response = await fetch(servedFileUrl(path));
    if (!response.ok) throw new Error(`cannot read ${path}: HTTP ${response.status}`);
    return response.arrayBuffer();
  },
  url: servedFileUrl,
};

/**
 * The served folder when the page comes from `emgkit view`, or null (static hosting, where the
 * listing URL fails or answers something other than a listing).
 */
export async function detectServedFiles(): Promise<FileSource | null> {
  try {
    await listing("");
    return httpFileSource;
  } catch {
    return null;
  }
}
