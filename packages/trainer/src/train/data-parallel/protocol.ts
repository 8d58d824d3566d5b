import type { HostTensor } from "@emgkit/models";
import type { BatchRequest } from "../../data/epoch-plan.js";
import type { ExampleSetSpec } from "../../data/example-set.js";
import type { AdamOptions, AdamState } from "../../optim/adam.js";
import type { BackendName } from "../backend.js";
import type { ExchangeMemory } from "./exchange.js";

/** What a replica worker starts from (its workerData): everything to build an identical replica. */
export interface ReplicaWorkerData {
  rank: number;
  memory: ExchangeMemory;
  backend: BackendName;
  model: { kind: string; config: Record<string, unknown> };
  /** The main thread's parameters and buffers (after init or resume), by state-dict name. */
  weights: Array<[string, HostTensor]>;
  adamOptions: AdamOptions;
  /** The main thread's Adam state when resuming; null for a fresh optimiser. */
  adamState: AdamState | null;
  train: ExampleSetSpec;
  loaderWorker: boolean;
  gradClipNorm: number | null;
}

export type ToReplica =
  | {
      type: "step";
      step: number;
      /** This replica's shard of the batch (possibly empty). */
      request: BatchRequest;
      /** Its shard of the next batch, to prefetch; null at the epoch's end. */
      next: BatchRequest | null;
      lr: number;
      /** Send a checksum of the weights after the update (tests). */
      checksum: boolean;
    }
  | { type: "close" };

/** A replica's shard after a step, for the main thread's train metrics. */
export interface ShardOutput {
  windows: number;
  loss: number;
  emissions: Float32Array;
  emissionLengths: Int32Array;
  /** The shard's labels (N, S_max) and their lengths, for scoring. */
  targets: Int32Array;
  targetLengths: Int32Array;
}

export type FromReplica =
  | { type: "ready" }
  | { type: "stepped"; step: number; output: ShardOutput | null; checksum: string | null }
  | { type: "failed"; error: string };
