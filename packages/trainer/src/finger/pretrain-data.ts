/**
 * emg2qwerty-style typing sessions turned into finger-like input for pretraining: 4 electrodes
 * per band, spread around each ring (0, 4, 8, 12), so 8 channels (band 0's four, then band
 * 1's), decimated from 2000 to 200 Hz; then windows of keystroke labels for CTC.
 */
import type { Session } from "@emgkit/emg-io";
import {
  chooseElectrodes,
  decimate,
  designDecimationFilter,
  type Random,
  selectElectrodes,
} from "@emgkit/emg-transforms";
import { FINGER_CHANNELS, FINGER_RATE_HZ } from "./features.js";
import { drawWindows } from "./windows.js";

/** The session rate over the finger rate. */
export const PRETRAIN_DECIMATION = 2000 / FINGER_RATE_HZ;
/** Electrodes kept per band ("spread": evenly around the ring from electrode 0). */
export const PRETRAIN_ELECTRODES: readonly number[] = chooseElectrodes(FINGER_CHANNELS / 2, {
  strategy: "spread",
});

/** A session's finger-like signal. */
export interface FingerLikeSignal {
  /** (T', 8) at 200 Hz: frame m is the filtered session sample 10 m. */
  emg: Float32Array;
  frames: number;
  /** (T',) the kept samples' times, unix seconds. */
  time: Float64Array;
}

/**
 * The whole session as a finger-like signal, read `chunkSamples` at a time (default 60 s).
 * Chunks overlap by more than the anti-alias filter's half-length, so the result equals
 * decimating the whole session at once.
 */
export function fingerLikeSignal(
  session: Session,
  { chunkSamples = 120_000 }: { chunkSamples?: number } = {},
): FingerLikeSignal {
  const factor = PRETRAIN_DECIMATION;
  const taps = designDecimationFilter(factor);
  const reach = (taps.length - 1) / 2;
  // Whole output frames of margin on each side, covering the filter's reach.
  const margin = Math.ceil(reach / factor) * factor;
  const step = Math.max(Math.ceil(chunkSamples / factor), 1) * factor;
  const frames = Math.ceil(session.length / factor);
  const emg = new Float32Array(frames * FINGER_CHANNELS);
  const time = new Float64Array(frames);
  for (let start = 0; start < session.length; start += step) {
    const end = Math.min(start + step, session.length);
    const from = Math.max(start - margin, 0);
    const to = Math.min(end + margin, session.length);
    const window = session.read(from, to);
    const kept = selectElectrodes(window.emg, PRETRAIN_ELECTRODES);
    const { data } = decimate(kept, FINGER_CHANNELS, factor, taps);
    const first = (start - from) / factor;
    const count = Math.ceil((end - start) / factor);
    emg.set(
      data.subarray(first * FINGER_CHANNELS, (first + count) * FINGER_CHANNELS),
      (start / factor) * FINGER_CHANNELS,
    );
    for (let j = 0; j < count; j++) {
      time[start / factor + j] = window.time[start - from + j * factor] as number;
    }
  }
  return { emg, frames, time };
}

/** A pretraining window: where it lies and its keystroke labels. */
export interface CtcWindow {
  signal: number;
  start: number;
  /** The charset's class ids of the keys typed in the window (emg2qwerty's `LabelData`). */
  labels: Int32Array;
}

/**
 * `count` random windows of `windowLength` frames over the sessions' signals, each with the
 * labels of the session's ground truth between its first and last frame's times.
 */
export function drawCtcWindows(
  sessions: readonly Session[],
  signals: readonly FingerLikeSignal[],
  windowLength: number,
  count: number,
  random: Random,
): CtcWindow[] {
  return drawWindows(
    signals.map((s) => s.frames),
    windowLength,
    count,
    random,
  ).map(({ signal, start }) => {
    const { time } = signals[signal] as FingerLikeSignal;
    const startT = time[start] as number;
    const endT = time[start + windowLength - 1] as number;
    return {
      signal,
      start,
      labels: Int32Array.from((sessions[signal] as Session).groundTruth(startT, endT).labels),
    };
  });
}
