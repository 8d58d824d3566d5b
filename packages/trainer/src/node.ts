/** @emgkit/trainer for Node: everything in the main entry, plus file-backed datasets, loops and checkpoints. */

export { type BatchLoader, openBatchLoader } from "./data/batch-loader.js";
export { type ExampleSetSpec, openExampleSet } from "./data/example-set.js";
export {
  type PretrainFingerOptions,
  type PretrainFingerProgress,
  type PretrainFingerResult,
  pretrainFingerEncoder,
} from "./finger/pretrain.js";
export { type FingerTaskOptions, type FingerTaskResult, runFingerTask } from "./finger/run.js";
export type { FingerTrainProgress } from "./finger/train.js";
export * from "./index.js";
export { type BackendName, backendNames, useBackend } from "./train/backend.js";
export {
  type Checkpoint,
  CheckpointError,
  loadCheckpoint,
  saveCheckpoint,
  saveModelFile,
  type TrainerState,
  trainableParams,
  writeFileAtomic,
} from "./train/checkpoint.js";
export { type Evaluation, evaluate, type Prediction } from "./train/evaluate.js";
export {
  DivergedError,
  type FitEvent,
  type FitOptions,
  type FitResult,
  fit,
  runPaths,
} from "./train/fit.js";
export { MetricsLog } from "./train/metrics-log.js";
