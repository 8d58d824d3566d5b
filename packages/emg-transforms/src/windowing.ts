import type { EmgWindow, LabelData, Session } from "@emgkit/emg-io";
import type { Random } from "./random.js";

/** Windows over a session, as emg2qwerty's `WindowedEMGDataset` cuts them. */
export interface WindowingOptions {
  /** Samples per window; null for one window holding the whole session (test time). */
  windowLength: number | null;
  /** Samples between window starts; default `windowLength` (no overlap). */
  stride?: number | null;
  /** Context samples added [left, right] around each window (default [0, 0]); labels ignore them. */
  padding?: readonly [number, number];
  /** Shift each window's start by a random amount below min(stride, room left) (training). */
  jitter?: boolean;
}

/** Where one window lies in its session (sample indices). */
export interface WindowPlacement {
  /** Start of the window itself, after jitter. */
  offset: number;
  /** Samples to read: [start, end), the window with its padding, clamped to the session. */
  start: number;
  end: number;
  /** Samples whose times bound the window's labels: ground truth of [time[offset], time[offset + length - 1]]. */
  labelFirst: number;
  labelLast: number;
}

interface ResolvedWindowing {
  length: number;
  stride: number;
  left: number;
  right: number;
  jitter: boolean;
}

function resolve(sessionLength: number, options: WindowingOptions): ResolvedWindowing {
  const length = options.windowLength ?? sessionLength;
  const stride = options.stride ?? length;
  const [left, right] = options.padding ?? [0, 0];
  if (!(Number.isInteger(length) && length > 0 && Number.isInteger(stride) && stride > 0)) {
    throw new RangeError(`window length ${length} and stride ${stride} must be whole numbers > 0`);
  }
  if (!(Number.isInteger(left) && left >= 0 && Number.isInteger(right) && right >= 0)) {
    throw new RangeError(`padding [${left}, ${right}] must be whole numbers >= 0`);
  }
  return { length, stride, left, right, jitter: options.jitter ?? false };
}

/** Number of windows: floor(max(L - length, 0) / stride) + 1, as emg2qwerty's `__len__`. */
export function windowCount(sessionLength: number, options: WindowingOptions): number {
  const { length, stride } = resolve(sessionLength, options);
  return Math.floor(Math.max(sessionLength - length, 0) / stride) + 1;
}

/**
 * Placement of window `index` (emg2qwerty's `__getitem__`): offset index *
 * stride, plus a jitter in [0, min(stride, leftover)) when enabled and there
 * is room; the read range adds the padding, clamped to the session. Throws
 * when the window does not fit the session (emg2qwerty's IndexError).
 */
export function placeWindow(
  index: number,
  sessionLength: number,
  options: WindowingOptions,
  random?: Random,
): WindowPlacement {
  const { length, stride, left, right, jitter } = resolve(sessionLength, options);
  let offset = index * stride;
  const leftover = sessionLength - (offset + length);
  if (!Number.isInteger(index) || index < 0 || leftover < 0) {
    throw new RangeError(
      `window ${index} is out of range (${windowCount(sessionLength, options)} windows)`,
    );
  }
  if (leftover > 0 && jitter) {
    if (random === undefined) throw new RangeError("jitter needs a Random");
    offset += random.int(0, Math.min(stride, leftover));
  }
  return {
    offset,
    start: Math.max(offset - left, 0),
    end: Math.min(offset + length + right, sessionLength),
    labelFirst: offset,
    labelLast: offset + length - 1,
  };
}

/** A window read from a session: EMG with padding, its times, and the labels of the un-padded window. */
export interface LabelledWindow extends EmgWindow {
  placement: WindowPlacement;
  labels: LabelData;
}

/** Reads window `index` of an open session with its ground truth. */
export function readWindow(
  session: Session,
  index: number,
  options: WindowingOptions,
  random?: Random,
): LabelledWindow {
  const placement = placeWindow(index, session.length, options, random);
  const window = session.read(placement.start, placement.end);
  const startT = window.time[placement.labelFirst - placement.start] as number;
  const endT = window.time[placement.labelLast - placement.start] as number;
  return { ...window, placement, labels: session.groundTruth(startT, endT) };
}
