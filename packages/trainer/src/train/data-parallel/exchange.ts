/**
 * What every replica of data-parallel training shares: the layout of the
 * shared memory, the barrier, the gradient average and the update. The main
 * thread (replica 0) and each worker thread run this same code on the same
 * shared values, so all replicas apply bit-identical updates and stay
 * identical without ever sending weights.
 */
import { type EmgModel, flatten } from "@emgkit/models";
import * as tf from "@tensorflow/tfjs-core";
import type { BatchRequest } from "../../data/epoch-plan.js";
import type { Adam } from "../../optim/adam.js";
import { clipGradNorm } from "../../optim/clip-grad.js";
import type { GradientStep } from "../ctc-step.js";

/** Shared buffers of a pool of `replicas` (plain data: passed to workers in workerData). */
export interface ExchangeMemory {
  replicas: number;
  /** Int32: [arrived, generation, abort]. */
  control: SharedArrayBuffer;
  /** Float64 per replica: [windows, loss]. */
  meta: SharedArrayBuffer;
  /** Float32 per replica: its flat gradients (parameter order), then its buffers (buffer order). */
  slots: SharedArrayBuffer;
}

/** `Atomics.waitAsync` (Node 16+, ES2024; the project's lib is older). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
      timeout: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

const ARRIVED = 0;
const GENERATION = 1;
const ABORT = 2;

/** Parameters and buffers of a model in a fixed order, with their offsets in a slot. */
export interface SlotLayout {
  params: Array<{ name: string; variable: tf.Variable; offset: number }>;
  buffers: Array<{ name: string; variable: tf.Variable; offset: number }>;
  /** Float32 values per slot. */
  length: number;
}

export function slotLayout(model: EmgModel): SlotLayout {
  let offset = 0;
  const place = ([name, variable]: [string, tf.Variable]) => {
    const entry = { name, variable, offset };
    offset += variable.size;
    return entry;
  };
  const params = flatten<tf.Variable>(model.params).map(place);
  const buffers = flatten<tf.Variable>(model.buffers).map(place);
  return { params, buffers, length: offset };
}

export function createExchangeMemory(replicas: number, layout: SlotLayout): ExchangeMemory {
  return {
    replicas,
    control: new SharedArrayBuffer(3 * 4),
    meta: new SharedArrayBuffer(replicas * 2 * 8),
    slots: new SharedArrayBuffer(replicas * layout.length * 4),
  };
}

/**
 * The examples of a batch request split into `replicas` contiguous shards,
 * the larger ones first (so shard 0, the main thread's, is never empty); a
 * batch smaller than the pool leaves the last shards empty.
 */
export function splitRequest(request: BatchRequest, replicas: number): BatchRequest[] {
  const N = request.indices.length;
  const shards: BatchRequest[] = [];
  let start = 0;
  for (let r = 0; r < replicas; r++) {
    const size = Math.floor(N / replicas) + (r < N % replicas ? 1 : 0);
    shards.push({
      indices: request.indices.slice(start, start + size),
      seeds: request.seeds.slice(start, start + size),
    });
    start += size;
  }
  return shards;
}

export class ReplicaAbort extends Error {
  override name = "ReplicaAbort";
}

/** What the shared step gave: the batch's loss and size, and whether the update was applied. */
export interface SharedStepResult {
  /** Size-weighted mean of the shards' losses: the whole batch's mean loss. */
  loss: number;
  windows: number;
  /** Why the update was not applied, or null when it was. */
  diverged: null | { what: "loss" | "gradient norm"; value: number };
}

/** One replica's side of the exchange. */
export class ReplicaExchange {
  private readonly control: Int32Array;
  private readonly meta: Float64Array;
  private readonly slots: Float32Array;
  readonly layout: SlotLayout;

  constructor(
    readonly memory: ExchangeMemory,
    readonly rank: number,
    readonly model: EmgModel,
  ) {
    this.layout = slotLayout(model);
    this.control = new Int32Array(memory.control);
    this.meta = new Float64Array(memory.meta);
    this.slots = new Float32Array(memory.slots);
    if (this.slots.length !== memory.replicas * this.layout.length) {
      throw new Error("data-parallel: the model's size does not match the shared slots");
    }
  }

  /** Tells every replica to stop waiting (a failure or the end). */
  abort(): void {
    Atomics.store(this.control, ABORT, 1);
    Atomics.notify(this.control, GENERATION);
  }

  get aborted(): boolean {
    return Atomics.load(this.control, ABORT) !== 0;
  }

  /**
   * Writes this replica's gradients, buffers (as the forward pass left them),
   * shard size and loss into its slot; a null step is an empty shard. Does not
   * dispose the gradients.
   */
  contribute(step: GradientStep | null, windows: number): void {
    const base = this.rank * this.layout.length;
    if (step !== null) {
      for (const { name, offset } of this.layout.params) {
        const grad = step.grads.get(name);
        if (grad === undefined) throw new Error(`data-parallel: no gradient for "${name}"`);
        this.slots.set(grad.dataSync() as Float32Array, base + offset);
      }
      for (const { variable, offset } of this.layout.buffers) {
        this.slots.set(Float32Array.from(variable.dataSync()), base + offset);
      }
    }
    this.meta[this.rank * 2] = step === null ? 0 : windows;
    this.meta[this.rank * 2 + 1] = step === null ? 0 : step.loss;
  }

  /** Blocks until every replica has contributed (worker threads). */
  arrive(): void {
    const generation = Atomics.load(this.control, GENERATION);
    if (this.enter(generation)) return;
    while (Atomics.load(this.control, GENERATION) === generation) {
      if (this.aborted) throw new ReplicaAbort("data-parallel: aborted");
      Atomics.wait(this.control, GENERATION, generation, 1000);
    }
    if (this.aborted) throw new ReplicaAbort("data-parallel: aborted");
  }

  /** Waits, without blocking the event loop, until every replica has contributed (main thread). */
  async arriveAsync(): Promise<void> {
    const generation = Atomics.load(this.control, GENERATION);
    if (this.enter(generation)) return;
    while (Atomics.load(this.control, GENERATION) === generation) {
      if (this.aborted) throw new ReplicaAbort("data-parallel: aborted");
      const wait = waitAsync(this.control, GENERATION, generation, 1000);
      if (wait.async) await wait.value;
    }
    if (this.aborted) throw new ReplicaAbort("data-parallel: aborted");
  }

  /** Counts this replica in; true when it was the last one (and released the others). */
  private enter(generation: number): boolean {
    if (this.aborted) throw new ReplicaAbort("data-parallel: aborted");
    if (Atomics.add(this.control, ARRIVED, 1) !== this.memory.replicas - 1) return false;
    Atomics.store(this.control, ARRIVED, 0);
    Atomics.store(this.control, GENERATION, generation + 1);
    Atomics.notify(this.control, GENERATION);
    return true;
  }

  /**
   * After the barrier: the slots averaged, weighted by shard size, summed in
   * replica order into float32, so every replica computes the same bits. Empty shards are left out.
   */
  private averaged(): { flat: Float32Array; windows: number; loss: number } {
    const { replicas } = this.memory;
    const L = this.layout.length;
    let windows = 0;
    for (let r = 0; r < replicas; r++) windows += this.meta[r * 2] as number;
    const flat = new Float32Array(L);
    let loss = 0;
    let first = true;
    for (let r = 0; r < replicas; r++) {
      const size = this.meta[r * 2] as number;
      if (size === 0) continue;
      const weight = size / windows;
      loss += weight * (this.meta[r * 2 + 1] as number);
      const slot = this.slots.subarray(r * L, (r + 1) * L);
      if (first) for (let i = 0; i < L; i++) flat[i] = weight * (slot[i] as number);
      else for (let i = 0; i < L; i++) flat[i] = (flat[i] as number) + weight * (slot[i] as number);
      first = false;
    }
    // Integer buffers (batches seen) are the same on every replica with data: take replica 0's.
    for (const { variable, offset } of this.layout.buffers) {
      if (variable.dtype === "float32") continue;
      flat.set(this.slots.subarray(offset, offset + variable.size), offset);
    }
    return { flat, windows, loss };
  }

  /**
   * The shared update, after the barrier: averaged buffers into the model,
   * then (unless the loss or the gradient norm is not finite) the averaged
   * gradients, clipped when asked, into Adam at `lr`.
   */
  update(adam: Adam, lr: number, gradClipNorm: number | null): SharedStepResult {
    const { flat, windows, loss } = this.averaged();
    tf.tidy(() => {
      for (const { variable, offset } of this.layout.buffers) {
        const values = flat.subarray(offset, offset + variable.size);
        variable.assign(tf.cast(tf.tensor(values, variable.shape, "float32"), variable.dtype));
      }
    });
    if (!Number.isFinite(loss)) return { loss, windows, diverged: { what: "loss", value: loss } };
    let grads = new Map<string, tf.Tensor>(
      this.layout.params.map(({ name, variable, offset }) => [
        name,
        tf.tensor(flat.slice(offset, offset + variable.size), variable.shape, "float32"),
      ]),
    );
    try {
      if (gradClipNorm !== null) {
        const clipped = clipGradNorm(grads, gradClipNorm);
        tf.dispose([...grads.values()]);
        grads = clipped.grads;
        if (!Number.isFinite(clipped.totalNorm)) {
          return { loss, windows, diverged: { what: "gradient norm", value: clipped.totalNorm } };
        }
      }
      adam.apply(grads, lr);
    } finally {
      tf.dispose([...grads.values()]);
    }
    return { loss, windows, diverged: null };
  }
}

/** FNV-1a over the bits of every parameter and buffer: replicas compare it to prove they are identical. */
export function modelChecksum(model: EmgModel): string {
  let hash = 0x811c9dc5;
  for (const [, tensor] of [...flatten(model.params), ...flatten(model.buffers)]) {
    const data = tensor.dataSync();
    const bits = new Uint32Array(
      data instanceof Float32Array || data instanceof Int32Array
        ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)
        : Float32Array.from(data as ArrayLike<number>).buffer,
    );
    for (let i = 0; i < bits.length; i++) {
      hash = Math.imul(hash ^ (bits[i] as number), 0x01000193) >>> 0;
    }
  }
  return hash.toString(16).padStart(8, "0");
}
