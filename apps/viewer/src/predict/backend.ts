/**
 * tfjs on the page: the wasm backend, its binaries served at `tfjs/` beside the page (vite.config
 * copies them there). Set up once, on first use.
 */
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import * as tf from "@tensorflow/tfjs-core";

let ready: Promise<string> | null = null;

/** Resolves to the backend's name once tfjs can run; throws a one-line error when it cannot. */
export function ensureBackend(): Promise<string> {
  ready ??= (async () => {
    try {
      setWasmPaths("./tfjs/");
    } catch {
      // Another part of the page started the wasm backend first: its paths stand.
    }
    let ok = false;
    try {
      ok = await tf.setBackend("wasm");
      await tf.ready();
    } catch (error) {
      throw new Error(`the tfjs wasm backend failed to start: ${(error as Error).message}`);
    }
    if (!ok) throw new Error("the tfjs wasm backend failed to start (tfjs/*.wasm not served?)");
    return tf.getBackend();
  })();
  ready.catch(() => {
    ready = null;
  });
  return ready;
}
