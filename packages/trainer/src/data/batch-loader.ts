import { closeWorkerThread, startWorkerThread } from "../worker-thread.js";
import { type Batch, collate } from "./collate.js";
import type { BatchRequest } from "./epoch-plan.js";
import { type ExampleSetSpec, openExampleSet } from "./example-set.js";

/** Loads batches of one dataset. Several `load`s may be in flight: that is how loading overlaps compute. */
export interface BatchLoader {
  /** Examples in the dataset. */
  readonly length: number;
  load(request: BatchRequest): Promise<Batch>;
  close(): Promise<void>;
}

/**
 * A loader for `spec`: in a worker thread (default), or in this thread with
 * `worker: false` (same batches, no overlap; for the browser-like case and tests).
 */
export async function openBatchLoader(
  spec: ExampleSetSpec,
  { worker = true }: { worker?: boolean } = {},
): Promise<BatchLoader> {
  return worker ? openWorkerLoader(spec) : openInThreadLoader(spec);
}

async function openInThreadLoader(spec: ExampleSetSpec): Promise<BatchLoader> {
  const set = await openExampleSet(spec);
  return {
    length: set.examples.length,
    load: async ({ indices, seeds }) =>
      collate(indices.map((index, i) => set.examples.example(index, seeds[i] as number))),
    close: async () => set.close(),
  };
}

type WorkerReply =
  | { ready: number }
  | { failed: string }
  | { id: number; batch: Batch }
  | { id: number; error: string };

async function openWorkerLoader(spec: ExampleSetSpec): Promise<BatchLoader> {
  const worker = startWorkerThread(
    new URL("./loader-worker.js", import.meta.url),
    new URL("./loader-worker.ts", import.meta.url),
    spec,
  );
  const pending = new Map<number, { resolve(batch: Batch): void; reject(error: Error): void }>();
  let nextId = 0;
  let failure: Error | null = null;
  const failAll = (error: Error) => {
    failure = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };

  const length = await new Promise<number>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", (reply: WorkerReply) => {
      worker.off("error", reject);
      if ("ready" in reply) resolve(reply.ready);
      else reject(new Error("failed" in reply ? reply.failed : "loader worker did not start"));
    });
  }).catch(async (error: Error) => {
    await worker.terminate();
    throw error;
  });

  worker.on("message", (reply: WorkerReply) => {
    if (!("id" in reply)) return;
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if ("batch" in reply) waiter?.resolve(reply.batch);
    else waiter?.reject(new Error(reply.error));
  });
  worker.on("error", failAll);
  worker.on("exit", (code) => {
    if (pending.size > 0) failAll(new Error(`loader worker exited (code ${code})`));
  });

  return {
    length,
    load(request) {
      if (failure !== null) return Promise.reject(failure);
      const id = nextId++;
      return new Promise<Batch>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, request });
      });
    },
    async close() {
      await closeWorkerThread(worker, "close");
    },
  };
}
