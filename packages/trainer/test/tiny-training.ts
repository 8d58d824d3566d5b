import { EMG2QWERTY_EVAL_TRANSFORMS } from "@emgkit/emg-transforms";
import type { ExampleSetSpec } from "../src/data/example-set.js";
import { defaultTrainConfig, type TrainConfig } from "../src/train/train-config.js";

/** A TDS small enough to learn a few windows by heart in seconds. */
export const tinyTrainConfig: TrainConfig = {
  ...defaultTrainConfig,
  model: { kind: "tds", config: { mlpFeatures: [32], blockChannels: [8, 8], kernelWidth: 4 } },
  data: {
    windowLength: 2000,
    padding: [200, 100],
    batchSize: 4,
    trainTransforms: EMG2QWERTY_EVAL_TRANSFORMS,
    evalTransforms: EMG2QWERTY_EVAL_TRANSFORMS,
  },
  optimizer: { lr: 1e-2 },
  lrScheduler: { kind: "constant" },
  maxEpochs: 2,
  seed: 3,
  loaderWorker: false,
};

/** Train and val specs over the same session: the model must memorise it. */
export function memorisation(
  path: string,
  config: TrainConfig,
): { train: ExampleSetSpec; val: ExampleSetSpec } {
  const windowing = { windowLength: config.data.windowLength, padding: config.data.padding };
  return {
    train: {
      paths: [path],
      windowing: { ...windowing, jitter: false },
      transforms: EMG2QWERTY_EVAL_TRANSFORMS,
    },
    val: {
      paths: [path],
      windowing: { ...windowing, jitter: false },
      transforms: EMG2QWERTY_EVAL_TRANSFORMS,
    },
  };
}
