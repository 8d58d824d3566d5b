/**
 * Downloads a served file in a worker (download-worker.ts), falling back to the main thread
 * where workers cannot start.
 */
import { fetchBytes } from "./http-files.js";

type WorkerMessage =
  | { type: "progress"; received: number; total: number }
  | { type: "done"; buffer: ArrayBuffer; offset: number; length: number }
  | { type: "error"; message: string };

/**
 * The bytes at `url` (relative to the page). `onProgress` gets bytes received and announced.
 */
export function download(
  url: string,
  onProgress: (received: number, total: number) => void = () => {},
): Promise<Uint8Array> {
  const absolute = new URL(url, location.href).href;
  let worker: Worker;
  try {
    worker = new Worker(new URL("./download-worker.ts", import.meta.url), { type: "module" });
  } catch {
    return fetchBytes(absolute, onProgress);
  }
  return new Promise<Uint8Array>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
      const message = event.data;
      if (message.type === "progress") {
        onProgress(message.received, message.total);
        return;
      }
      worker.terminate();
      if (message.type === "done") {
        resolve(new Uint8Array(message.buffer, message.offset, message.length));
      } else {
        reject(new Error(message.message));
      }
    };
    worker.onerror = (event) => {
      worker.terminate();
      // A worker that cannot load (e.g. a strict content security policy): download here.
      event.preventDefault();
      fetchBytes(absolute, onProgress).then(resolve, reject);
    };
    worker.postMessage({ url: absolute });
  });
}
