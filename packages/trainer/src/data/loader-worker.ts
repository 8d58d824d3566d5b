/**
 * The data-loading thread: opens an `ExampleSetSpec` (from workerData), then
 * answers each `{ id, request }` with the collated batch, its buffers
 * transferred. Reading, augmenting and the spectrogram run here, beside the
 * training thread's tfjs work.
 */
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { batchTransferList, collate } from "./collate.js";
import type { BatchRequest } from "./epoch-plan.js";
import { type ExampleSetSpec, openExampleSet } from "./example-set.js";

const port = parentPort;
if (port === null) throw new Error("loader-worker must run in a worker thread");

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function serve(port: MessagePort): Promise<void> {
  const set = await openExampleSet(workerData as ExampleSetSpec);
  port.on("message", (message: { id: number; request: BatchRequest } | "close") => {
    if (message === "close") {
      set.close();
      port.close();
      return;
    }
    try {
      const { indices, seeds } = message.request;
      const batch = collate(
        indices.map((index, i) => set.examples.example(index, seeds[i] as number)),
      );
      port.postMessage({ id: message.id, batch }, batchTransferList(batch));
    } catch (error) {
      port.postMessage({ id: message.id, error: messageOf(error) });
    }
  });
  port.postMessage({ ready: set.examples.length });
}

serve(port).catch((error: unknown) => port.postMessage({ failed: messageOf(error) }));
