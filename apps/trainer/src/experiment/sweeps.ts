import {
  type AugmentConfig,
  EMG2QWERTY_TRAIN_TRANSFORMS,
  spectrogramParamsForRate,
} from "@emgkit/emg-transforms";
import type { ConfigTree } from "../config.js";
import type { ExperimentKind } from "./kind.js";
import { type Variant, variantSweep } from "./variant-sweep.js";

/** Overrides setting one transforms key on both the training and the evaluation pipeline. */
function bothTransforms(key: string, value: unknown): string[] {
  const text = JSON.stringify(value);
  return [`transforms.train.${key}=${text}`, `transforms.eval.${key}=${text}`];
}

function evalTransforms(base: ConfigTree): AugmentConfig {
  return (base.transforms as { eval: AugmentConfig }).eval;
}

export const architectures = variantSweep({
  name: "architectures",
  summary: "CNN, LSTM, BiLSTM, GRU, TCN, CNN + BiLSTM, TDS and transformer on one split and budget",
  details:
    "Each architecture with its configs/model/<kind>.yaml (BiLSTM: lstm with bidirectional: true), trained on the same split, windows, optimizer, schedule and budget.",
  factor: "model",
  variants: () => [
    { name: "cnn", label: "CNN", overrides: ["model=cnn"] },
    { name: "lstm", label: "LSTM", overrides: ["model=lstm"] },
    {
      name: "bilstm",
      label: "BiLSTM",
      overrides: ["model=lstm", "model.config.bidirectional=true"],
    },
    { name: "gru", label: "GRU", overrides: ["model=gru"] },
    { name: "tcn", label: "TCN", overrides: ["model=tcn"] },
    { name: "cnn-bilstm", label: "CNN + BiLSTM", overrides: ["model=cnn-bilstm"] },
    { name: "tds", label: "TDS", overrides: ["model=tds"] },
    { name: "transformer", label: "transformer", overrides: ["model=transformer"] },
  ],
});

export const channels = variantSweep({
  name: "channels",
  summary: "electrodes per band: 16, 8, 4, 2, 1",
  details:
    "Keeps k electrodes per band, spread evenly around each wristband (the same ones on both bands); the model's input size follows.",
  factor: "electrodes per band",
  log2X: true,
  variants: () =>
    [16, 8, 4, 2, 1].map(
      (count): Variant => ({
        name: `electrodes-${count}`,
        label: String(count),
        x: count,
        overrides: bothTransforms("electrodes", { count, strategy: "spread" }),
      }),
    ),
});

export const samplingRate = variantSweep({
  name: "sampling-rate",
  summary: "EMG sampling rate: 2000, 1000, 500, 250 Hz",
  details:
    "Decimates the EMG (anti-aliased) before the spectrogram; n_fft keeps emg2qwerty's 32 ms window and the hop keeps its 125 Hz frame rate, so fewer frequency bins reach the model.",
  factor: "sampling rate (Hz)",
  log2X: true,
  variants: () =>
    [2000, 1000, 500, 250].map(
      (rate): Variant => ({
        name: `rate-${rate}`,
        label: String(rate),
        x: rate,
        overrides: [
          ...bothTransforms("sampleRate", rate),
          ...bothTransforms("logSpectrogram", spectrogramParamsForRate(rate)),
        ],
      }),
    ),
});

export const dataAmount = variantSweep({
  name: "data-amount",
  summary: "fractions of the training minutes: 1, 1/2, 1/4, 1/8",
  details:
    "Keeps the first fraction of each training user's minutes (sessions in split order); validation and test sets are unchanged.",
  factor: "fraction of training data",
  log2X: true,
  variants: () =>
    [1, 0.5, 0.25, 0.125].map(
      (fraction): Variant => ({
        name: `fraction-${fraction}`,
        label: String(fraction),
        x: fraction,
        overrides: [`budget_fraction=${fraction}`],
      }),
    ),
});

export const window = variantSweep({
  name: "window",
  summary: "training window: 4000 to 12 000 samples (2 to 6 s)",
  details:
    "The training and validation window length (padding unchanged); testing runs whole sessions as always.",
  factor: "window (samples)",
  variants: () =>
    [4000, 6000, 8000, 10000, 12000].map(
      (length): Variant => ({
        name: `window-${length}`,
        label: String(length),
        x: length,
        overrides: [`data.window_length=${length}`],
      }),
    ),
});

export const features = variantSweep({
  name: "features",
  summary: "spectrogram resolution: n_fft 32, 64, 128 (272, 528, 1040 input features)",
  details:
    "The log-spectrogram's n_fft (hop unchanged): 17, 33 or 65 frequency bins per electrode, 272, 528 or 1040 features per band.",
  factor: "n_fft",
  log2X: true,
  variants: (base) => {
    const hopLength = evalTransforms(base).logSpectrogram.hopLength;
    return [32, 64, 128].map(
      (nFft): Variant => ({
        name: `nfft-${nFft}`,
        label: `${nFft} (${16 * (nFft / 2 + 1)} features)`,
        x: nFft,
        overrides: bothTransforms("logSpectrogram", { nFft, hopLength }),
      }),
    );
  },
});

/** The augmentations toggled by `experiment augmentation`, with emg2qwerty's settings. */
const AUGMENTATIONS = {
  bandRotation: EMG2QWERTY_TRAIN_TRANSFORMS.bandRotation,
  temporalJitter: EMG2QWERTY_TRAIN_TRANSFORMS.temporalJitter,
  specAugment: EMG2QWERTY_TRAIN_TRANSFORMS.specAugment,
} as const;
type Augmentation = keyof typeof AUGMENTATIONS;
const NAMES: Record<Augmentation, string> = {
  bandRotation: "band-rotation",
  temporalJitter: "temporal-jitter",
  specAugment: "spec-augment",
};

export const augmentation = variantSweep({
  name: "augmentation",
  summary: "emg2qwerty's augmentations each on and off, plus channel gain and noise",
  details:
    "Training transforms with none, all, each augmentation alone and all but each (band rotation, temporal alignment jitter, SpecAugment), and all plus our per-channel gain and Gaussian noise; evaluation transforms unchanged.",
  factor: "augmentations",
  variants: (base) => {
    const { logSpectrogram } = evalTransforms(base);
    const train = (steps: Partial<AugmentConfig>): string[] => [
      `transforms.train=${JSON.stringify({ ...steps, logSpectrogram })}`,
    ];
    const keys = Object.keys(AUGMENTATIONS) as Augmentation[];
    const only = (kept: Augmentation[]) =>
      Object.fromEntries(kept.map((k) => [k, AUGMENTATIONS[k]])) as Partial<AugmentConfig>;
    return [
      { name: "none", label: "none", overrides: train({}) },
      { name: "all", label: "all three", overrides: train(only(keys)) },
      ...keys.map((k) => ({
        name: `only-${NAMES[k]}`,
        label: `${NAMES[k]} only`,
        overrides: train(only([k])),
      })),
      ...keys.map((k) => ({
        name: `without-${NAMES[k]}`,
        label: `all but ${NAMES[k]}`,
        overrides: train(only(keys.filter((other) => other !== k))),
      })),
      {
        name: "all-gain-noise",
        label: "all three + gain + noise",
        overrides: train({
          ...only(keys),
          channelGain: { minGain: 0.5, maxGain: 2 },
          noise: { snrDb: 20 },
        }),
      },
    ];
  },
});

/** The one-factor sweeps, in the order `--help` lists them. */
export const variantKinds: ExperimentKind[] = [
  architectures,
  channels,
  samplingRate,
  dataAmount,
  window,
  features,
  augmentation,
];
