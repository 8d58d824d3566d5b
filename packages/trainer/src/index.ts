/**
 * @emgkit/trainer: optimisation, schedules, collation and reports (browser-safe).
 * The Node entry (`@emgkit/trainer/node`) adds datasets over session files,
 * the loader worker, the training loop and checkpoints on disk.
 */
export {
  type EpochRecord,
  type ErrorRates,
  type EvalRecord,
  type MetricsRecord,
  parseMetrics,
  type StepRecord,
} from "./metrics-record.js";
