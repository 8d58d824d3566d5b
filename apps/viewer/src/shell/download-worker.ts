/**
 * Downloads one file off the main thread: streams it into a buffer of its announced size and
 * hands the buffer over (transferred, not copied). The main thread stays free to load h5wasm and
 * mount the panels meanwhile, and its work cannot stall the download.
 *
 * Messages out: `{ type: "progress", received, total }`, then `{ type: "done", buffer, length }`
 * or `{ type: "error", message }`.
 */
import { fetchBytes } from "./http-files.js";

interface WorkerScope {
  onmessage: ((event: MessageEvent<{ url: string }>) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
const PROGRESS_MS = 100;

scope.onmessage = async (event) => {
  let shown = 0;
  try {
    const bytes = await fetchBytes(event.data.url, (received, total) => {
      const now = performance.now();
      if (now - shown < PROGRESS_MS) return;
      shown = now;
      scope.postMessage({ type: "progress", received, total });
    });
    const buffer = bytes.buffer as ArrayBuffer;
    scope.postMessage({ type: "done", buffer, offset: bytes.byteOffset, length: bytes.length }, [
      buffer,
    ]);
  } catch (error) {
    scope.postMessage({
      type: "error",
      message: error instanceof Error ? error.message : String(error),
    });
  }
};
