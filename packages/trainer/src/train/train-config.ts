import { type DataConfig, defaultDataConfig } from "../data/data-config.js";
import type { AdamOptions } from "../optim/adam.js";
import type { LrScheduleConfig } from "../optim/lr-schedule.js";
import type { SwadConfig } from "./swad.js";

/** A training run's settings; defaults are emg2qwerty's (config/base.yaml and its groups). */
export interface TrainConfig {
  /** Registry kind and config overrides (`createModel(kind, config, seed)`). */
  model: { kind: string; config: Record<string, unknown> };
  data: DataConfig;
  /** Adam (config/optimizer/adam.yaml: lr 1e-3). */
  optimizer: { lr: number } & AdamOptions;
  /** Per-epoch schedule (config/lr_scheduler/linear_warmup_cosine_annealing.yaml). */
  lrScheduler: LrScheduleConfig;
  maxEpochs: number;
  /** Clip the global gradient 2-norm to this (null: no clipping, as emg2qwerty). */
  gradClipNorm: number | null;
  /** Stop after this many epochs without a better val CER (null: never). */
  earlyStoppingPatience: number | null;
  /** Seeds initialisation, shuffling and every augmentation draw. */
  seed: number;
  /** Batches per training / validation epoch at most (null: all; Lightning's limit_*_batches). */
  limitTrainBatches: number | null;
  limitValBatches: number | null;
  /** Stop after the epoch during which this much training time has passed (null: no limit). */
  maxTimeSeconds: number | null;
  /** Load batches in a worker thread (overlaps data work with compute). */
  loaderWorker: boolean;
  /**
   * SWAD (dense weight averaging over a loss valley, `swad.ts`; needs a
   * validation set): `fit` writes `checkpoints/swad.safetensors`. Null: off.
   * `defaultSwadConfig` holds the paper's settings. Optional so that configs
   * written before it still type-check; absent means null.
   */
  swad?: SwadConfig | null;
  /**
   * Data-parallel replicas (default 1): with n > 1, `fit` starts n - 1 worker
   * threads, each with its own tfjs backend and model replica; every batch is
   * split into n contiguous shards whose gradients are averaged (weighted by
   * shard size) through shared memory, so all replicas apply the same update.
   * Optional so that configs written before it still type-check.
   */
  workers?: number;
}

export const defaultTrainConfig: TrainConfig = {
  model: { kind: "tds", config: {} },
  data: defaultDataConfig,
  optimizer: { lr: 1e-3 },
  lrScheduler: {
    warmup_epochs: 10,
    max_epochs: 150,
    warmup_start_lr: 1e-8,
    eta_min: 1e-6,
  },
  maxEpochs: 150,
  gradClipNorm: null,
  earlyStoppingPatience: null,
  seed: 1501,
  limitTrainBatches: null,
  limitValBatches: null,
  maxTimeSeconds: null,
  loaderWorker: true,
  swad: null,
  workers: 1,
};
