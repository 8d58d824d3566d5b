/**
 * A data-parallel replica (worker thread): its own tfjs backend, a model and
 * Adam identical to the main thread's, and its own loader over the training
 * set. Per step it loads its shard, computes loss and gradients, contributes
 * them to the shared slots, waits at the barrier, and applies the same
 * averaged update as every other replica (`exchange.ts`).
 */

import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { assignWeights, createModel, type EmgModel } from "@emgkit/models";
import * as tf from "@tensorflow/tfjs-core";
import { type BatchLoader, openBatchLoader } from "../../data/batch-loader.js";
import type { Batch } from "../../data/collate.js";
import type { BatchRequest } from "../../data/epoch-plan.js";
import { Adam } from "../../optim/adam.js";
import { useBackend } from "../backend.js";
import { trainableParams } from "../checkpoint.js";
import { gradientStep } from "../ctc-step.js";
import { modelChecksum, ReplicaAbort, ReplicaExchange } from "./exchange.js";
import type { FromReplica, ReplicaWorkerData, ToReplica } from "./protocol.js";

const port = parentPort;
if (port === null) throw new Error("replica-worker must run in a worker thread");

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const key = (request: BatchRequest) => `${request.indices.join(",")}/${request.seeds.join(",")}`;

async function serve(port: MessagePort, data: ReplicaWorkerData): Promise<void> {
  const post = (message: FromReplica, transfer: ArrayBuffer[] = []) =>
    port.postMessage(message, transfer);
  await useBackend(data.backend);
  const model: EmgModel = createModel(data.model.kind, data.model.config);
  assignWeights(model, new Map(data.weights));
  const adam = new Adam(trainableParams(model), data.adamOptions);
  if (data.adamState !== null) adam.load(data.adamState);
  const exchange = new ReplicaExchange(data.memory, data.rank, model);
  const loader: BatchLoader = await openBatchLoader(data.train, { worker: data.loaderWorker });
  let prefetch: { key: string; batch: Promise<Batch> } | null = null;
  const load = (request: BatchRequest): Promise<Batch> => {
    const batch = prefetch?.key === key(request) ? prefetch.batch : loader.load(request);
    prefetch = null;
    return batch;
  };

  const shutDown = async () => {
    await loader.close();
    adam.dispose();
    model.dispose();
    port.close();
  };

  const step = async (message: Extract<ToReplica, { type: "step" }>) => {
    const empty = message.request.indices.length === 0;
    const batch = empty ? null : await load(message.request);
    if (message.next !== null && message.next.indices.length > 0) {
      // Keep a failed prefetch from being an unhandled rejection; the step that needs it sees it.
      const next = loader.load(message.next);
      next.catch(() => {});
      prefetch = { key: key(message.next), batch: next };
    }
    const result = batch === null ? null : gradientStep(model, batch);
    try {
      exchange.contribute(result, batch?.shape[1] ?? 0);
    } finally {
      if (result !== null) tf.dispose([...result.grads.values()]);
    }
    exchange.arrive();
    exchange.update(adam, message.lr, data.gradClipNorm);
    const output =
      result === null || batch === null
        ? null
        : {
            windows: batch.shape[1],
            loss: result.loss,
            // A copy of its own, transferable (a backend may hand out a view of its memory).
            emissions: result.emissions.slice(),
            emissionLengths: result.emissionLengths,
            targets: batch.targets,
            targetLengths: batch.targetLengths,
          };
    post(
      {
        type: "stepped",
        step: message.step,
        output,
        checksum: message.checksum ? modelChecksum(model) : null,
      },
      output === null ? [] : [output.emissions.buffer as ArrayBuffer],
    );
  };

  // One message at a time, in order.
  let queue = Promise.resolve();
  port.on("message", (message: ToReplica) => {
    queue = queue.then(async () => {
      if (message.type === "close") return shutDown();
      try {
        await step(message);
      } catch (error) {
        if (error instanceof ReplicaAbort) return;
        post({ type: "failed", error: messageOf(error) });
      }
    });
  });
  post({ type: "ready" });
}

serve(port, workerData as ReplicaWorkerData).catch((error: unknown) =>
  port.postMessage({ type: "failed", error: messageOf(error) } satisfies FromReplica),
);
