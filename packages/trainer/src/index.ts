/**
 * @emgkit/trainer: optimisation, schedules, collation and reports (browser-safe).
 * The Node entry (`@emgkit/trainer/node`) adds datasets over session files,
 * the loader worker, the training loop and checkpoints on disk.
 */
export { type Batch, batchTransferList, collate } from "./data/collate.js";
export {
  type DataConfig,
  defaultDataConfig,
  modelInputConfig,
  type Phase,
  phaseBatchSize,
  phaseTransforms,
  phaseWindowing,
} from "./data/data-config.js";
export { type BatchRequest, epochPlan } from "./data/epoch-plan.js";
export { type Example, SessionExamples } from "./data/examples.js";
export { mixSeed } from "./data/seeds.js";
export {
  type ClassificationMetrics,
  type ClassScores,
  classificationMetrics,
  confusionMatrix,
} from "./finger/metrics.js";
export {
  type EpochRecord,
  type EvalRecord,
  type MetricsRecord,
  parseMetrics,
  type StepRecord,
} from "./metrics-record.js";
export { Adam, type AdamOptions, type AdamParamState, type AdamState } from "./optim/adam.js";
export { type ClippedGrads, clipGradNorm } from "./optim/clip-grad.js";
export {
  constantSchedule,
  createLrSchedule,
  type LrSchedule,
  type LrScheduleConfig,
  lrAtEpoch,
  lrAtEpochClosedForm,
  type WarmupCosineConfig,
  type WarmupCosineOptions,
  warmupCosineSchedule,
} from "./optim/lr-schedule.js";
export type { NamedTensors } from "./optim/named-tensors.js";
export * from "./report/index.js";
export {
  emissionLengths,
  evalStep,
  type GradientStep,
  gradientStep,
  type StepOutput,
} from "./train/ctc-step.js";
export { batchTarget, ratesOrNaN, scoreGreedy } from "./train/score.js";
export {
  defaultSwadConfig,
  SwadAverager,
  type SwadConfig,
  type SwadWindow,
  swadWindow,
  validateSwadConfig,
} from "./train/swad.js";
export { defaultTrainConfig, type TrainConfig } from "./train/train-config.js";
