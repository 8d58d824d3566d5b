import { createRequire } from "node:module";
import { dirname } from "node:path";
import * as tf from "@tensorflow/tfjs-core";

/** Backends the trainer runs on: wasm (default), cpu (pure JS, slow, for checks), node-gpu (optional). */
export type BackendName = "wasm" | "cpu" | "node-gpu";

export const backendNames: readonly BackendName[] = ["wasm", "cpu", "node-gpu"];

const require = createRequire(import.meta.url);

/**
 * Makes `name` the active tfjs backend. wasm finds its .wasm files in its own
 * package; node-gpu is loaded only when asked for, and its absence is a clear
 * error, since nothing installs it by default (its install downloads libtensorflow).
 */
export async function useBackend(name: BackendName): Promise<void> {
  if (name === "wasm") {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const packageDir = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json"));
    wasm.setWasmPaths(`${packageDir}/dist/`);
  } else if (name === "cpu") {
    await import(/* cpu */ "@tensorflow/tfjs-backend-cpu" as string).catch(() => {
      throw new Error("backend cpu needs @tensorflow/tfjs-backend-cpu (npm install it)");
    });
  } else if (name === "node-gpu") {
    try {
      await import("@tensorflow/tfjs-node-gpu" as string);
    } catch {
      throw new Error(
        "backend node-gpu needs @tensorflow/tfjs-node-gpu, which is not installed (npm install @tensorflow/tfjs-node-gpu; it needs CUDA and network access at install)",
      );
    }
    name = "tensorflow" as BackendName;
  } else {
    throw new Error(`unknown backend "${name}"; known: ${backendNames.join(", ")}`);
  }
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to initialise`);
  await tf.ready();
}
