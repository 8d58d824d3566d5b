import type { Worker } from "node:worker_threads";
import { type EmgModel, flatten, type HostTensor } from "@emgkit/models";
import * as tf from "@tensorflow/tfjs-core";
import type { BatchRequest } from "../../data/epoch-plan.js";
import type { ExampleSetSpec } from "../../data/example-set.js";
import type { Adam, AdamOptions } from "../../optim/adam.js";
import { closeWorkerThread, startWorkerThread } from "../../worker-thread.js";
import type { BackendName } from "../backend.js";
import type { GradientStep } from "../ctc-step.js";
import {
  createExchangeMemory,
  modelChecksum,
  ReplicaAbort,
  ReplicaExchange,
  type SharedStepResult,
  slotLayout,
  splitRequest,
} from "./exchange.js";
import type { FromReplica, ReplicaWorkerData, ShardOutput, ToReplica } from "./protocol.js";

export interface ReplicaPoolOptions {
  /** Replicas in all, the main thread's included (>= 2). */
  replicas: number;
  /** The main thread's model and optimiser, as they start training (weights and state are copied to the workers). */
  model: EmgModel;
  adam: Adam;
  adamOptions: AdamOptions;
  /** Whether `adam` holds a loaded state the workers must copy. */
  resumed: boolean;
  train: ExampleSetSpec;
  loaderWorker: boolean;
  gradClipNorm: number | null;
}

/** The active tfjs backend as `useBackend` names it. */
function backendName(): BackendName {
  const name = tf.getBackend();
  if (name === "tensorflow") return "node-gpu";
  if (name === "wasm" || name === "cpu") return name;
  throw new Error(`data-parallel training runs on wasm, cpu or node-gpu, not on backend ${name}`);
}

interface Waiter {
  resolve(message: Extract<FromReplica, { type: "stepped" }>): void;
  reject(error: Error): void;
}

/**
 * The main thread's side of data-parallel training: it is replica 0 and
 * starts `replicas - 1` worker replicas. Each `step` splits a batch request
 * into contiguous shards, hands shards 1.. to the workers, runs the main
 * thread's own shard through `gradientStep`, and applies the shared update
 * once every replica has contributed.
 */
export class ReplicaPool {
  private failure: Error | null = null;
  private readonly waiters = new Map<number, Waiter>();
  private closing = false;

  private constructor(
    private readonly workers: Worker[],
    readonly exchange: ReplicaExchange,
    private readonly gradClipNorm: number | null,
  ) {
    workers.forEach((worker, i) => {
      const rank = i + 1;
      worker.on("message", (message: FromReplica) => {
        if (message.type === "failed") this.fail(rank, message.error);
        else if (message.type === "stepped") this.waiters.get(rank)?.resolve(message);
      });
      worker.on("error", (error) => this.fail(rank, error.message));
      worker.on("exit", (code) => {
        if (!this.closing) this.fail(rank, `exited (code ${code})`);
      });
    });
  }

  get replicas(): number {
    return this.workers.length + 1;
  }

  static async start(options: ReplicaPoolOptions): Promise<ReplicaPool> {
    const { model, replicas } = options;
    if (!(Number.isInteger(replicas) && replicas >= 2)) {
      throw new Error(`a replica pool needs 2 or more replicas, got ${replicas}`);
    }
    const memory = createExchangeMemory(replicas, slotLayout(model));
    const weights = [...flatten(model.params), ...flatten(model.buffers)].map(
      ([name, tensor]): [string, HostTensor] => [
        name,
        { shape: tensor.shape, data: Float32Array.from(tensor.dataSync()) },
      ],
    );
    const backend = backendName();
    const adamState = options.resumed ? options.adam.state() : null;
    const workers: Worker[] = [];
    for (let rank = 1; rank < replicas; rank++) {
      workers.push(
        startWorkerThread(
          new URL("./replica-worker.js", import.meta.url),
          new URL("./replica-worker.ts", import.meta.url),
          {
            rank,
            memory,
            backend,
            model: { kind: model.kind, config: model.config as Record<string, unknown> },
            weights,
            adamOptions: options.adamOptions,
            adamState,
            train: options.train,
            loaderWorker: options.loaderWorker,
            gradClipNorm: options.gradClipNorm,
          } satisfies ReplicaWorkerData,
          { tfjsGradients: true },
        ),
      );
    }
    try {
      await Promise.all(
        workers.map(
          (worker, i) =>
            new Promise<void>((resolve, reject) => {
              const fail = (why: string) =>
                reject(new Error(`data-parallel worker ${i + 1}: ${why}`));
              const onMessage = (message: FromReplica) => {
                worker.off("error", onError);
                worker.off("exit", onExit);
                if (message.type === "ready") resolve();
                else fail(message.type === "failed" ? message.error : "did not start");
              };
              const onError = (error: Error) => {
                worker.off("message", onMessage);
                fail(error.message);
              };
              const onExit = (code: number) => fail(`exited (code ${code}) before it was ready`);
              worker.once("message", onMessage);
              worker.once("error", onError);
              worker.once("exit", onExit);
            }),
        ),
      );
    } catch (error) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      throw error;
    }
    return new ReplicaPool(workers, new ReplicaExchange(memory, 0, model), options.gradClipNorm);
  }

  /** Splits each request of an epoch's plan into this pool's shards. */
  shard(plan: BatchRequest[]): BatchRequest[][] {
    return plan.map((request) => splitRequest(request, this.replicas));
  }

  /**
   * Sends shards 1.. of a batch (and of the next one, to prefetch) to the
   * workers; call before computing the main thread's shard 0.
   */
  post(
    step: number,
    shards: BatchRequest[],
    next: BatchRequest[] | null,
    lr: number,
    checksum: boolean,
  ): void {
    this.throwIfFailed();
    this.workers.forEach((worker, i) => {
      const message: ToReplica = {
        type: "step",
        step,
        request: shards[i + 1] as BatchRequest,
        next: next === null ? null : (next[i + 1] as BatchRequest),
        lr,
        checksum,
      };
      worker.postMessage(message);
    });
  }

  /**
   * Contributes the main thread's shard (its gradients are not disposed
   * here), waits for every replica, applies the shared update, and returns it
   * with the workers' shard outputs. With `checksum`, checks that every
   * replica's weights equal the main thread's afterwards.
   */
  async reduce(
    step: GradientStep,
    windows: number,
    adam: Adam,
    lr: number,
    checksum: boolean,
  ): Promise<SharedStepResult & { shards: ShardOutput[] }> {
    const replies = this.workers.map(
      (_, i) =>
        new Promise<Extract<FromReplica, { type: "stepped" }>>((resolve, reject) => {
          this.waiters.set(i + 1, { resolve, reject });
        }),
    );
    for (const reply of replies) reply.catch(() => {});
    this.exchange.contribute(step, windows);
    try {
      await this.exchange.arriveAsync();
    } catch (error) {
      if (error instanceof ReplicaAbort) this.throwIfFailed();
      throw error;
    }
    const result = this.exchange.update(adam, lr, this.gradClipNorm);
    const stepped = await Promise.all(replies);
    this.waiters.clear();
    if (checksum) {
      const ours = modelChecksum(this.exchange.model);
      stepped.forEach((reply, i) => {
        if (reply.checksum !== ours) {
          throw new Error(
            `data-parallel worker ${i + 1}: its weights (checksum ${reply.checksum}) differ from the main thread's (${ours})`,
          );
        }
      });
    }
    return {
      ...result,
      shards: stepped.flatMap((reply) => (reply.output === null ? [] : [reply.output])),
    };
  }

  /** Stops every worker (after a failure too); waits for them to exit. */
  async close(): Promise<void> {
    this.closing = true;
    this.exchange.abort();
    await Promise.all(
      this.workers.map((worker) =>
        closeWorkerThread(worker, { type: "close" } satisfies ToReplica),
      ),
    );
  }

  private fail(rank: number, why: string): void {
    if (this.failure !== null || this.closing) return;
    this.failure = new Error(`data-parallel worker ${rank}: ${why.split("\n")[0]}`);
    this.exchange.abort();
    for (const waiter of this.waiters.values()) waiter.reject(this.failure);
    this.waiters.clear();
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }
}
