import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

/**
 * From source, tfjs-core's gradient registrations have extension-less relative imports that
 * Node's ESM resolver rejects (the bundle has them inlined): this hook retries them with `.js`
 * and `/index.js`.
 */
const extensionlessHook = `export async function resolve(specifier, context, next) {
  try { return await next(specifier, context); } catch (error) {
    if (!specifier.startsWith(".") || !context.parentURL?.includes("/@tensorflow/")) throw error;
    for (const suffix of [".js", "/index.js"]) {
      try { return await next(specifier + suffix, context); } catch {}
    }
    throw error;
  }
}`;

/**
 * Starts a worker thread on `built`, the bundled script beside the built code, or, when this
 * code runs from its TypeScript sources (tests), on `source` through tsx. `tfjsGradients`
 * installs the resolve hook above first, for workers that import tfjs-core's gradients.
 */
export function startWorkerThread(
  built: URL,
  source: URL,
  workerData: unknown,
  { tfjsGradients = false }: { tfjsGradients?: boolean } = {},
): Worker {
  if (existsSync(fileURLToPath(built))) return new Worker(built, { workerData });
  const hook = tfjsGradients
    ? `import("node:module").then((m) => m.register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(extensionlessHook)}`)})).then(() => `
    : "(";
  const bootstrap = `${hook}import("tsx/esm/api")).then((tsx) => { tsx.register(); return import(${JSON.stringify(source.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** Asks a worker to finish (`message`), waits for it to exit, and terminates it after 2 s. */
export function closeWorkerThread(worker: Worker, message: unknown): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      void worker.terminate().then(() => resolve());
    }, 2000);
    worker.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    worker.postMessage(message);
  });
}
