/**
 * Starts downloading the session of `?session=` as soon as this module is evaluated. main.ts
 * imports it first, so the download is under way before the rest of the bundle (tfjs, the
 * panels) has been evaluated and the page set up.
 */
import { download } from "./download.js";
import { servedFileUrl } from "./http-files.js";

/** A download started at load. */
export interface EarlyDownload {
  /** The served path. */
  path: string;
  /**
   * The bytes, once: afterwards the download forgets them, so that they can be freed once the
   * session has been opened (they are a whole session file).
   */
  take(): Promise<Uint8Array>;
  /** `performance.now()` when it started. */
  startedAt: number;
  /** Receives progress from now on (the latest report at once). */
  onProgress(listener: (received: number, total: number) => void): void;
}

function start(): EarlyDownload | null {
  const path = new URL(location.href).searchParams.get("session") || null;
  if (path === null) return null;
  let listener: (received: number, total: number) => void = () => {};
  let last: [number, number] | null = null;
  const startedAt = performance.now();
  let bytes: Promise<Uint8Array> | null = download(servedFileUrl(path), (received, total) => {
    last = [received, total];
    listener(received, total);
  });
  // Failures are reported by the open that awaits the bytes.
  bytes.catch(() => {});
  return {
    path,
    take() {
      const taken = bytes ?? Promise.reject(new Error(`${path} was opened already`));
      bytes = null;
      return taken;
    },
    startedAt,
    onProgress(next) {
      listener = next;
      if (last !== null) next(...last);
    },
  };
}

export const earlyDownload: EarlyDownload | null = start();
