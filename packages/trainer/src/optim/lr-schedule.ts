/**
 * Learning-rate schedules stepped once per epoch, as emg2qwerty configures
 * Lightning (`interval: epoch`): the lr of epoch e (0-based) is the value the
 * PyTorch scheduler holds after e `step()` calls past its constructor's own.
 */

/** pl_bolts `LinearWarmupCosineAnnealingLR` arguments, plus the optimiser's lr. */
export interface WarmupCosineOptions {
  /** The optimiser's lr (emg2qwerty: 1e-3), reached at `warmupEpochs`. */
  baseLr: number;
  /** Epochs of linear warm-up (emg2qwerty: 10). */
  warmupEpochs: number;
  /** Epoch at which the cosine reaches `etaMin` (emg2qwerty: trainer.max_epochs, 150). */
  maxEpochs: number;
  /** Lr of epoch 0 (emg2qwerty: 1e-8); default 0 as in pl_bolts. */
  warmupStartLr?: number;
  /** Lr at `maxEpochs` (emg2qwerty: 1e-6); default 0 as in pl_bolts. */
  etaMin?: number;
}

/**
 * Lr of `epoch` under pl_bolts' `LinearWarmupCosineAnnealingLR`, computed the way
 * PyTorch produces it: by running its chainable `get_lr` recursion from epoch 0,
 * each value built from the previous one in float64.
 *
 * - epoch 0: warmupStartLr;
 * - 0 < e < warmupEpochs: previous + (baseLr - warmupStartLr) / (warmupEpochs - 1),
 *   so baseLr is already reached at warmupEpochs - 1;
 * - e = warmupEpochs: baseLr;
 * - later: etaMin + (previous - etaMin) * (1 + cos(pi (e - w) / T)) / (1 + cos(pi (e - w - 1) / T)),
 *   T = maxEpochs - warmupEpochs; where that denominator is 0 (e = maxEpochs + 1
 *   + k * 2T) one cosine step (baseLr - etaMin)(1 - cos(pi / T)) / 2 is added instead.
 *   Past maxEpochs the cosine rises again, as in PyTorch.
 *
 * Difference from the closed form (`lrAtEpochClosedForm`, pl_bolts'
 * `_get_closed_form_lr`, used by PyTorch only when `step(epoch)` is called with an
 * epoch): the recursion accumulates float64 rounding (~1e-15 relative here) and
 * it differs for warmupEpochs 0 (the recursion starts the cosine from
 * warmupStartLr and never reaches baseLr; the closed form starts at baseLr) and
 * warmupEpochs 1 (the closed form divides by zero at epoch 0).
 *
 * O(epoch) per call; `warmupCosineSchedule` (and so `createLrSchedule`) caches the sequence.
 */
export function lrAtEpoch(epoch: number, options: WarmupCosineOptions): number {
  checkEpoch(epoch);
  const resolved = resolve(options);
  let lr = resolved.warmupStartLr;
  for (let e = 1; e <= epoch; e++) lr = nextLr(lr, e, resolved);
  return lr;
}

/**
 * pl_bolts' closed form of the same schedule (for comparison; see `lrAtEpoch`):
 * warm-up start + e (base - start) / (w - 1), then
 * etaMin + (baseLr - etaMin)(1 + cos(pi (e - w) / T)) / 2.
 */
export function lrAtEpochClosedForm(epoch: number, options: WarmupCosineOptions): number {
  checkEpoch(epoch);
  const {
    baseLr,
    warmupEpochs: w,
    maxEpochs,
    warmupStartLr: start,
    etaMin: eta,
  } = resolve(options);
  if (epoch < w) return start + (epoch * (baseLr - start)) / (w - 1);
  return eta + 0.5 * (baseLr - eta) * (1 + Math.cos((Math.PI * (epoch - w)) / (maxEpochs - w)));
}

/** A per-epoch learning-rate schedule. */
export interface LrSchedule {
  readonly kind: "linear_warmup_cosine_annealing" | "constant";
  /** Lr for 0-based `epoch`. */
  lrAt(epoch: number): number;
}

/** The same lr every epoch (no scheduler in PyTorch). */
export function constantSchedule(lr: number): LrSchedule {
  if (!(lr >= 0) || !Number.isFinite(lr))
    throw new Error(`constant lr schedule: lr must be a finite number >= 0, got ${lr}`);
  return {
    kind: "constant",
    lrAt(epoch) {
      checkEpoch(epoch);
      return lr;
    },
  };
}

/** `lrAtEpoch` as a schedule, remembering the values it has computed. */
export function warmupCosineSchedule(options: WarmupCosineOptions): LrSchedule {
  const resolved = resolve(options); // validates now, not at the first epoch
  const values: number[] = [];
  return {
    kind: "linear_warmup_cosine_annealing",
    lrAt(epoch) {
      checkEpoch(epoch);
      // Extend the cached recursion one epoch at a time (same float64 steps as lrAtEpoch).
      if (values.length === 0) values.push(resolved.warmupStartLr);
      while (values.length <= epoch)
        values.push(nextLr(values[values.length - 1] as number, values.length, resolved));
      return values[epoch] as number;
    },
  };
}

/**
 * emg2qwerty's `lr_scheduler` config (config/lr_scheduler/linear_warmup_cosine_annealing.yaml):
 * either the whole `{ scheduler: {...}, interval: "epoch" }` or the `scheduler`
 * part, with snake_case keys; numbers may be numeric strings (YAML 1.1 reads
 * `1e-8` as a string). `{ kind: "constant" }` keeps the lr fixed.
 */
export type LrScheduleConfig =
  | { kind: "constant" }
  | WarmupCosineConfig
  | { scheduler: WarmupCosineConfig; interval?: string };

export interface WarmupCosineConfig {
  _target_?: string;
  warmup_epochs: number | string;
  max_epochs: number | string;
  warmup_start_lr?: number | string;
  eta_min?: number | string;
}

/**
 * A schedule from config. `baseLr` is the optimiser's lr (emg2qwerty's
 * config/optimizer/adam.yaml: 1e-3). Throws a one-line error on an
 * unsupported scheduler, a per-step interval or a bad value.
 */
export function createLrSchedule(config: LrScheduleConfig, baseLr: number): LrSchedule {
  if ("kind" in config) {
    if (config.kind === "constant") return constantSchedule(baseLr);
    throw new Error(`lr schedule: unknown kind "${(config as { kind: unknown }).kind}"`);
  }
  let scheduler: WarmupCosineConfig;
  if ("scheduler" in config) {
    if (config.interval !== undefined && config.interval !== "epoch")
      throw new Error(
        `lr schedule: interval "${config.interval}" is not supported (only "epoch", as emg2qwerty)`,
      );
    scheduler = config.scheduler;
  } else scheduler = config;
  const target = scheduler._target_;
  if (target !== undefined && !target.endsWith("LinearWarmupCosineAnnealingLR"))
    throw new Error(
      `lr schedule: scheduler ${target} is not supported (LinearWarmupCosineAnnealingLR or kind: constant)`,
    );
  const number = (key: keyof WarmupCosineConfig, fallback?: number): number => {
    const value = scheduler[key];
    if (value === undefined && fallback !== undefined) return fallback;
    const parsed = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof parsed !== "number" || !Number.isFinite(parsed))
      throw new Error(`lr schedule: ${key} must be a number, got ${JSON.stringify(value)}`);
    return parsed;
  };
  return warmupCosineSchedule({
    baseLr,
    warmupEpochs: number("warmup_epochs"),
    maxEpochs: number("max_epochs"),
    warmupStartLr: number("warmup_start_lr", 0),
    etaMin: number("eta_min", 0),
  });
}

/** pl_bolts' chainable `get_lr` at epoch `e` >= 1, given the lr of epoch e - 1. */
function nextLr(lr: number, e: number, options: Required<WarmupCosineOptions>): number {
  const { baseLr, warmupEpochs: w, maxEpochs, warmupStartLr: start, etaMin: eta } = options;
  const span = maxEpochs - w;
  if (e < w) return lr + (baseLr - start) / (w - 1);
  if (e === w) return baseLr;
  // JS % keeps the dividend's sign, but divisibility (=== 0) reads the same as Python's.
  if ((e - 1 - maxEpochs) % (2 * span) === 0)
    return lr + ((baseLr - eta) * (1 - Math.cos(Math.PI / span))) / 2;
  // Same operation order as pl_bolts, so only Math.cos can differ from CPython's libm.
  return (
    ((1 + Math.cos((Math.PI * (e - w)) / span)) / (1 + Math.cos((Math.PI * (e - w - 1)) / span))) *
      (lr - eta) +
    eta
  );
}

function resolve(options: WarmupCosineOptions): Required<WarmupCosineOptions> {
  const resolved = {
    ...options,
    warmupStartLr: options.warmupStartLr ?? 0,
    etaMin: options.etaMin ?? 0,
  };
  const { baseLr, warmupEpochs, maxEpochs, warmupStartLr, etaMin } = resolved;
  for (const [key, value] of Object.entries({ baseLr, warmupStartLr, etaMin }))
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`lr schedule: ${key} must be a finite number >= 0, got ${value}`);
  if (!Number.isInteger(warmupEpochs) || warmupEpochs < 0)
    throw new Error(`lr schedule: warmupEpochs must be an integer >= 0, got ${warmupEpochs}`);
  if (!Number.isInteger(maxEpochs) || maxEpochs <= warmupEpochs)
    throw new Error(
      `lr schedule: maxEpochs must be an integer > warmupEpochs (${warmupEpochs}), got ${maxEpochs}`,
    );
  return resolved;
}

function checkEpoch(epoch: number): void {
  if (!Number.isInteger(epoch) || epoch < 0)
    throw new Error(`lr schedule: epoch must be an integer >= 0, got ${epoch}`);
}
