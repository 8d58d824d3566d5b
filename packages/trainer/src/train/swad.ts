/**
 * SWAD, stochastic weight averaging densely (Cha et al., "SWAD: Domain
 * Generalization by Seeking Flat Minima", NeurIPS 2021), with the window rule
 * of the authors' `LossValley` (khanrc/swad, `domainbed/swad.py`):
 *
 * - Dense: every optimiser step's weights join the running sum of its epoch
 *   (a segment). At each epoch end the segment and the epoch's val loss are
 *   handed to the rule.
 * - Start t_s: the last `nConverge` segments are queued; once the queue is full
 *   and its first segment has the lowest val loss of the queue (the first of
 *   equal minima), training has converged and the window starts at that first
 *   segment, the queued ones after it joining as below. The threshold is then
 *   `(1 + toleranceRatio) * mean(val losses of the queue)`, as the reference code
 *   computes it (the paper writes `r * E_val(t_s)`).
 * - End t_e: a segment joins the window when its val loss or that of one of the
 *   `nTolerance - 1` segments after it is at most the threshold (the paper's
 *   `min_{0<=j<N_e} E_val(i + j) <= threshold`). Segments above the threshold
 *   wait; the next one at or below it brings them in; `nTolerance` in a row
 *   above it end the valley ("dead"), they are dropped and nothing joins any more.
 *   At the end of training the waiting segments are dropped too (none of their
 *   shortened look-aheads reaches the threshold), as the reference does.
 * - Fallback: training that ends before convergence averages the queue, the
 *   last `nConverge` segments (fewer if fewer epochs ran); the reference returns
 *   the last segment alone.
 *
 * What differs from the paper and its code:
 * - Segments are epochs (emg2qwerty validates once per epoch), not a fixed
 *   number of iterations (the reference evaluates every 100-300 steps).
 * - The average weights every step equally (the sum of the window's step
 *   weights over its step count); the reference averages segment averages,
 *   the same when epochs have equal step counts.
 * - The start is exactly the converged queue's first segment: the reference code
 *   creates its running average from that segment with a count of 0, so the next
 *   segment overwrites it, and with `nTolerance > nConverge` it also pulls up to
 *   `nTolerance - nConverge` earlier segments in and may count the start segment
 *   twice; neither is the paper's rule.
 * - BatchNorm running statistics (`model.buffers`) are averaged like the weights
 *   (int buffers too, cast back on loading); SWAD recomputes them with a pass over
 *   training data in train mode (`update_bn`, 500 steps), which this skips.
 * - A dead valley does not stop training (the reference stops there); the
 *   window just stops growing, and `fit` trains on to its own end.
 *
 * Memory: the current epoch's sum plus the queue (at most `nConverge`) before
 * convergence, then the current sum, the window's sum and one merged sum of the
 * waiting segments: at most `max(nConverge, 2) + 1` parameter-sized copies at
 * rest, one more while adding (the brief's bound was `nConverge + nTolerance + 1`). Browser-safe; `fit` writes the state to disk.
 */
import type { EmgModel, HostTensor } from "@emgkit/models";
import { flatten } from "@emgkit/models";
import * as tf from "@tensorflow/tfjs-core";

/** SWAD's LossValley settings. */
export interface SwadConfig {
  /** Segments (epochs) in the convergence test's queue (N_s). */
  nConverge: number;
  /** Look-ahead for the end: this many segments in a row above the threshold end the window (N_e). */
  nTolerance: number;
  /** threshold = (1 + toleranceRatio) * the mean val loss of the converged queue. */
  toleranceRatio: number;
}

/** The reference implementation's defaults (khanrc/swad `hparams_registry.py`). */
export const defaultSwadConfig: SwadConfig = { nConverge: 3, nTolerance: 6, toleranceRatio: 0.3 };

/** Throws one line when a setting is out of range. */
export function validateSwadConfig(config: SwadConfig): void {
  for (const key of ["nConverge", "nTolerance"] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 1) {
      throw new Error(`swad.${key} must be an integer >= 1, not ${config[key]}`);
    }
  }
  if (!(Number.isFinite(config.toleranceRatio) && config.toleranceRatio >= 0)) {
    throw new Error(
      `swad.toleranceRatio must be a finite number >= 0, not ${config.toleranceRatio}`,
    );
  }
}

/** The epochs and optimiser steps that the SWAD model averages. */
export interface SwadWindow {
  /** First and last epoch (0-based, inclusive) of the window. */
  startEpoch: number;
  endEpoch: number;
  /** Optimiser steps averaged (every step of those epochs). */
  steps: number;
  /** False: training ended before the convergence test passed, and the window is the fallback. */
  converged: boolean;
}

/** Consecutive epochs merged into one sum. */
export interface Segment<P> {
  firstEpoch: number;
  lastEpoch: number;
  steps: number;
  /** Val loss at the end of the last epoch. */
  loss: number;
  payload: P;
}

/** How the rule combines and frees segment payloads (weight sums, or nothing in tests). */
export interface PayloadOps<P> {
  /** A new payload, the sum of both; `a` and `b` stay valid. */
  add(a: P, b: P): P;
  dispose(payload: P): void;
}

/** The rule's state without payloads, as JSON. */
export interface LossValleyState {
  queue: Array<Omit<Segment<unknown>, "payload">>;
  window: Omit<Segment<unknown>, "payload"> | null;
  pending: Omit<Segment<unknown>, "payload"> | null;
  pendingCount: number;
  threshold: number | null;
  dead: boolean;
  /** One past the last epoch pushed. */
  epochs: number;
}

/** SWAD's window rule over segments (see the file's comment); owns the payloads pushed to it. */
export class LossValley<P> {
  private queue: Array<Segment<P>> = [];
  private window: Segment<P> | null = null;
  /** Segments after the window, all above the threshold, merged. */
  private pending: Segment<P> | null = null;
  private pendingCount = 0;
  private threshold: number | null = null;
  private isDead = false;
  private nextEpoch = 0;

  constructor(
    readonly config: SwadConfig,
    private readonly ops: PayloadOps<P>,
  ) {
    validateSwadConfig(config);
  }

  get converged(): boolean {
    return this.threshold !== null;
  }

  /** The window has ended: later segments are not needed. */
  get dead(): boolean {
    return this.isDead;
  }

  /** One past the last epoch pushed (the epochs handed over, when every epoch was). */
  get epochs(): number {
    return this.nextEpoch;
  }

  /** Hands over one epoch's segment (or consecutive epochs merged) and its val loss. */
  push(segment: Segment<P>): void {
    this.nextEpoch = segment.lastEpoch + 1;
    if (this.isDead) {
      this.ops.dispose(segment.payload);
      return;
    }
    if (this.converged) {
      this.extend(segment);
      return;
    }
    this.queue.push(segment);
    if (this.queue.length > this.config.nConverge) {
      this.ops.dispose((this.queue.shift() as Segment<P>).payload);
    }
    if (this.queue.length < this.config.nConverge) return;
    const losses = this.queue.map((s) => s.loss);
    const lowest = losses.reduce(
      (best, loss, i) => (loss < (losses[best] as number) ? i : best),
      0,
    );
    if (lowest !== 0) return;
    const mean = losses.reduce((sum, loss) => sum + loss, 0) / losses.length;
    this.threshold = mean * (1 + this.config.toleranceRatio);
    const [first, ...rest] = this.queue;
    this.queue = [];
    this.window = first as Segment<P>;
    for (const segment of rest) this.extend(segment);
  }

  private extend(segment: Segment<P>): void {
    if (this.isDead) {
      this.ops.dispose(segment.payload);
      return;
    }
    if (segment.loss <= (this.threshold as number)) {
      const joining = this.pending === null ? segment : this.merge(this.pending, segment);
      this.window = this.merge(this.window as Segment<P>, joining);
      this.pending = null;
      this.pendingCount = 0;
      return;
    }
    this.pending = this.pending === null ? segment : this.merge(this.pending, segment);
    this.pendingCount += 1;
    if (this.pendingCount >= this.config.nTolerance) {
      this.ops.dispose(this.pending.payload);
      this.pending = null;
      this.pendingCount = 0;
      this.isDead = true;
    }
  }

  /** Sums two consecutive segments into a new one and frees both payloads. */
  private merge(a: Segment<P>, b: Segment<P>): Segment<P> {
    const payload = this.ops.add(a.payload, b.payload);
    this.ops.dispose(a.payload);
    this.ops.dispose(b.payload);
    return {
      firstEpoch: a.firstEpoch,
      lastEpoch: b.lastEpoch,
      steps: a.steps + b.steps,
      loss: b.loss,
      payload,
    };
  }

  /**
   * What to average if training ended now (changes nothing): the window once
   * converged, else the queue (fallback); null before any segment.
   */
  selection(): { window: SwadWindow; segments: Array<Segment<P>> } | null {
    const segments = this.window !== null ? [this.window] : this.queue;
    const first = segments[0];
    const last = segments.at(-1);
    if (first === undefined || last === undefined) return null;
    return {
      window: {
        startEpoch: first.firstEpoch,
        endEpoch: last.lastEpoch,
        steps: segments.reduce((sum, s) => sum + s.steps, 0),
        converged: this.converged,
      },
      segments,
    };
  }

  /** The state as JSON plus the payloads in a fixed order (queue, window, pending), for `restore`. */
  snapshot(): { state: LossValleyState; payloads: Array<[string, P]> } {
    const meta = ({ payload: _, ...rest }: Segment<P>) => rest;
    const payloads: Array<[string, P]> = this.queue.map((s, i) => [`queue/${i}`, s.payload]);
    if (this.window !== null) payloads.push(["window", this.window.payload]);
    if (this.pending !== null) payloads.push(["pending", this.pending.payload]);
    return {
      state: {
        queue: this.queue.map(meta),
        window: this.window === null ? null : meta(this.window),
        pending: this.pending === null ? null : meta(this.pending),
        pendingCount: this.pendingCount,
        threshold: this.threshold,
        dead: this.isDead,
        epochs: this.nextEpoch,
      },
      payloads,
    };
  }

  /** A rule in the state `snapshot` gave; `payload(key)` returns the payload saved under `key`. */
  static restore<P>(
    config: SwadConfig,
    ops: PayloadOps<P>,
    state: LossValleyState,
    payload: (key: string) => P,
  ): LossValley<P> {
    const valley = new LossValley(config, ops);
    valley.queue = state.queue.map((s, i) => ({ ...s, payload: payload(`queue/${i}`) }));
    valley.window = state.window === null ? null : { ...state.window, payload: payload("window") };
    valley.pending =
      state.pending === null ? null : { ...state.pending, payload: payload("pending") };
    valley.pendingCount = state.pendingCount;
    valley.threshold = state.threshold;
    valley.isDead = state.dead;
    valley.nextEpoch = state.epochs;
    return valley;
  }

  /** Frees every payload. */
  dispose(): void {
    for (const segment of this.queue) this.ops.dispose(segment.payload);
    if (this.window !== null) this.ops.dispose(this.window.payload);
    if (this.pending !== null) this.ops.dispose(this.pending.payload);
    this.queue = [];
    this.window = null;
    this.pending = null;
  }
}

/**
 * The window `LossValley` picks from a sequence of per-epoch val losses (one
 * step per epoch), for tests and for planning a run; null for no epoch.
 */
export function swadWindow(losses: readonly number[], config: SwadConfig): SwadWindow | null {
  const valley = new LossValley<null>(config, { add: () => null, dispose: () => {} });
  losses.forEach((loss, epoch) => {
    valley.push({ firstEpoch: epoch, lastEpoch: epoch, steps: 1, loss, payload: null });
  });
  return valley.selection()?.window ?? null;
}

/** Weight sums, in the order of `stateEntries`. */
type Sums = tf.Tensor[];

const sumOps: PayloadOps<Sums> = {
  add: (a, b) => a.map((t, i) => tf.add(t, b[i] as tf.Tensor)),
  dispose: (sums) => {
    for (const t of sums) t.dispose();
  },
};

/** Parameters and buffers by state_dict name, in the order weight files list them. */
function stateEntries(model: Pick<EmgModel, "params" | "buffers">): Array<[string, tf.Tensor]> {
  return [...flatten(model.params), ...flatten(model.buffers)];
}

const STATE_KEY = "emgkit.swad";
const PAYLOAD_PREFIX = "swad/";

/** SWAD's running state over a model's parameters and BatchNorm buffers (see the file's comment). */
export class SwadAverager {
  private readonly names: string[];
  private readonly valley: LossValley<Sums>;
  /** The current epoch's sum of step weights (null before its first step). */
  private current: Sums | null = null;
  private currentSteps = 0;

  private constructor(names: string[], valley: LossValley<Sums>) {
    this.names = names;
    this.valley = valley;
  }

  static create(model: Pick<EmgModel, "params" | "buffers">, config: SwadConfig): SwadAverager {
    const names = stateEntries(model).map(([name]) => name);
    return new SwadAverager(names, new LossValley(config, sumOps));
  }

  get config(): SwadConfig {
    return this.valley.config;
  }

  /** Epochs handed over so far. */
  get epochs(): number {
    return this.valley.epochs;
  }

  /** Adds the model's weights after an optimiser step to the epoch's sum (nothing once the valley is dead). */
  addStep(model: Pick<EmgModel, "params" | "buffers">): void {
    if (this.valley.dead) return;
    const state = stateEntries(model).map(([, tensor]) => tensor);
    if (state.length !== this.names.length) {
      throw new Error(`SWAD: the model has ${state.length} tensors, not ${this.names.length}`);
    }
    const previous = this.current;
    this.current = tf.tidy(() =>
      state.map((tensor, i) => {
        const value = tf.cast(tensor, "float32");
        return previous === null ? tf.clone(value) : tf.add(previous[i] as tf.Tensor, value);
      }),
    );
    if (previous !== null) sumOps.dispose(previous);
    this.currentSteps += 1;
  }

  /** Closes the epoch: its steps become a segment with the epoch's val loss. An epoch without steps is skipped. */
  endEpoch(epoch: number, valLoss: number): void {
    const payload = this.current;
    const steps = this.currentSteps;
    this.current = null;
    this.currentSteps = 0;
    if (payload === null) return;
    this.valley.push({ firstEpoch: epoch, lastEpoch: epoch, steps, loss: valLoss, payload });
  }

  /** The window if training ended now. */
  window(): SwadWindow | null {
    return this.valley.selection()?.window ?? null;
  }

  /** The averaged parameters and buffers by name (float32) and the window; null before any epoch. */
  average(): { window: SwadWindow; tensors: Map<string, HostTensor> } | null {
    const selection = this.valley.selection();
    if (selection === null) return null;
    const { window, segments } = selection;
    const tensors = new Map<string, HostTensor>();
    this.names.forEach((name, i) => {
      const mean = tf.tidy(() => {
        const parts = segments.map((s) => s.payload[i] as tf.Tensor);
        const sum = parts.length === 1 ? (parts[0] as tf.Tensor) : tf.addN(parts);
        return tf.div(sum, tf.scalar(window.steps, "float32"));
      });
      tensors.set(name, { shape: mean.shape, data: Float32Array.from(mean.dataSync()) });
      mean.dispose();
    });
    return { window, tensors };
  }

  /**
   * The state at an epoch's end as safetensors entries and metadata (payload
   * sums as `swad/<queue/i|window|pending>/<name>`); throws mid-epoch.
   */
  toSafetensors(): { tensors: Array<[string, HostTensor]>; metadata: Record<string, string> } {
    if (this.current !== null) throw new Error("SWAD: the state is saved at epoch ends only");
    const { state, payloads } = this.valley.snapshot();
    const tensors: Array<[string, HostTensor]> = [];
    for (const [key, sums] of payloads) {
      sums.forEach((sum, i) => {
        tensors.push([
          `${PAYLOAD_PREFIX}${key}/${this.names[i]}`,
          { shape: sum.shape, data: Float32Array.from(sum.dataSync()) },
        ]);
      });
    }
    const metadata = {
      [STATE_KEY]: JSON.stringify({
        config: this.config,
        names: this.names,
        ...state,
      }),
    };
    return { tensors, metadata };
  }

  /**
   * Rebuilds the state `toSafetensors` wrote, for a model of the same
   * tensors and the same config; throws one line on anything else.
   */
  static fromSafetensors(
    model: Pick<EmgModel, "params" | "buffers">,
    config: SwadConfig,
    tensors: Map<string, HostTensor>,
    metadata: Record<string, string>,
  ): SwadAverager {
    const json = metadata[STATE_KEY];
    if (json === undefined) throw new Error("not a SWAD state (no emgkit.swad metadata)");
    const saved = JSON.parse(json) as LossValleyState & {
      config: SwadConfig;
      names: string[];
    };
    const names = stateEntries(model).map(([name]) => name);
    if (JSON.stringify(saved.names) !== JSON.stringify(names)) {
      throw new Error("SWAD state was written for a model with other tensors");
    }
    for (const key of ["nConverge", "nTolerance", "toleranceRatio"] as const) {
      if (saved.config[key] !== config[key]) {
        throw new Error(
          `SWAD state was written with swad.${key} = ${saved.config[key]}, the config says ${config[key]}`,
        );
      }
    }
    const made: Sums[] = [];
    try {
      const valley = LossValley.restore(config, sumOps, saved, (key) => {
        const sums = names.map((name) => {
          const host = tensors.get(`${PAYLOAD_PREFIX}${key}/${name}`);
          if (host === undefined)
            throw new Error(`SWAD state lacks ${PAYLOAD_PREFIX}${key}/${name}`);
          return host;
        });
        const payload = sums.map((host) => tf.tensor(host.data, host.shape, "float32"));
        made.push(payload);
        return payload;
      });
      return new SwadAverager(names, valley);
    } catch (error) {
      for (const payload of made) sumOps.dispose(payload);
      throw error;
    }
  }

  /** Frees every tensor it holds. */
  dispose(): void {
    if (this.current !== null) sumOps.dispose(this.current);
    this.current = null;
    this.currentSteps = 0;
    this.valley.dispose();
  }
}
