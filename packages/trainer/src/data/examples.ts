import type { Session } from "@emgkit/emg-io";
import {
  type AugmentConfig,
  augmentWindow,
  logSpectrogramWith,
  placeWindow,
  Random,
  StftPlan,
  type WindowingOptions,
  windowCount,
} from "@emgkit/emg-transforms";

const BANDS = 2;

/** One training example: a spectrogram and the key labels of its window. */
export interface Example {
  /** (frames, 2, electrodes, freqs) log-spectrogram. */
  inputs: Float32Array;
  frames: number;
  /** Electrodes per band (16 when absent; fewer with the `electrodes` transform). */
  electrodes?: number;
  /** Class labels of the window's ground truth, (S,). */
  labels: Int32Array;
}

/**
 * The windows of several sessions as one indexable list (emg2qwerty's
 * `ConcatDataset` of `WindowedEMGDataset`s): window i of session s comes after
 * every window of sessions 0..s-1. `limits[s]`, when given, keeps only the
 * first samples of session s (the training-data budget).
 */
export class SessionExamples {
  readonly length: number;
  /** First global index of each session's windows, then the total. */
  private readonly starts: number[];
  private readonly lengths: number[];
  private readonly plan: StftPlan;

  constructor(
    private readonly sessions: readonly Session[],
    private readonly windowing: WindowingOptions,
    private readonly transforms: AugmentConfig,
    limits?: readonly (number | null)[],
  ) {
    this.lengths = sessions.map((session, s) => Math.min(session.length, limits?.[s] ?? Infinity));
    this.starts = [0];
    for (const length of this.lengths) {
      // A session (or budget) shorter than one window gives no window, as emg2qwerty would fail on it.
      const count = length >= (windowing.windowLength ?? 1) ? windowCount(length, windowing) : 0;
      this.starts.push((this.starts.at(-1) as number) + count);
    }
    this.length = this.starts.at(-1) as number;
    this.plan = new StftPlan(transforms.logSpectrogram);
  }

  /** Example `index`, drawing jitter and augmentations from `seed` only. */
  example(index: number, seed: number): Example {
    if (!(Number.isInteger(index) && index >= 0 && index < this.length)) {
      throw new RangeError(`example ${index} is out of range (${this.length} examples)`);
    }
    let s = 0;
    while ((this.starts[s + 1] as number) <= index) s++;
    const session = this.sessions[s] as Session;
    const random = new Random(seed);
    const placementRandom = random.fork();
    const placement = placeWindow(
      index - (this.starts[s] as number),
      this.lengths[s] as number,
      this.windowing,
      placementRandom,
    );
    const window = session.read(placement.start, placement.end);
    const startT = window.time[placement.labelFirst - placement.start] as number;
    const endT = window.time[placement.labelLast - placement.start] as number;
    const labels = session.groundTruth(startT, endT).labels;
    const { spectrogram } = augmentWindow(
      window.emg,
      this.transforms,
      (signal) => logSpectrogramWith(this.plan, signal),
      random.fork(),
    );
    return {
      inputs: spectrogram.data,
      frames: spectrogram.frames,
      electrodes: spectrogram.channels / BANDS,
      labels,
    };
  }
}
