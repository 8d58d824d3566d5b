import { type CharacterSet, charset as defaultCharset, LabelData } from "@emgkit/emg-io";
import { type CTCDecoder, decodeEachItem } from "./decoder.js";
import { checkTimestamps, type EmissionMatrix, frameCount, frameIndices } from "./emissions.js";

/** Labels and onset timestamps of a decoding, shapes (L,). */
export interface LabelSequence {
  labels: Int32Array;
  timestamps: Float64Array;
}

export interface GreedyDecodeOptions {
  /** Number of classes C; default 99 (emg2qwerty's charset with its blank). */
  numClasses?: number;
  /** Blank class; default C - 1. */
  blank?: number;
}

/**
 * Best path decoding of (T, C) emissions: the argmax class of each frame
 * (first one on ties, as `np.argmax`), repeats collapsed and blanks dropped;
 * each label keeps the timestamp of the frame where it started. `timestamps`
 * (T,) default to the frame indices.
 */
export function greedyDecode(
  emissions: EmissionMatrix,
  options: GreedyDecodeOptions & { timestamps?: ArrayLike<number> } = {},
): LabelSequence {
  const collapser = newCollapser(options);
  const timestamps =
    options.timestamps ?? frameIndices(frameCount(emissions, collapser.numClasses));
  collapser.push(emissions, timestamps);
  return collapser.sequence();
}

/**
 * `greedyDecode` of each item of time-first (T, N, C) emissions, frames
 * 0..lengths[n]-1 with timestamps 0, 1, ... Shape of `lengths`: (N,).
 */
export function greedyDecodeBatch(
  emissions: EmissionMatrix,
  lengths: ArrayLike<number>,
  options: GreedyDecodeOptions = {},
): LabelSequence[] {
  const numClasses = options.numClasses ?? defaultCharset.numClasses;
  return decodeEachItem(emissions, lengths, numClasses, (item, timestamps) => {
    const collapser = newCollapser(options);
    collapser.push(item, timestamps);
    return collapser.sequence();
  });
}

function newCollapser(options: GreedyDecodeOptions): GreedyCollapser {
  const numClasses = options.numClasses ?? defaultCharset.numClasses;
  return new GreedyCollapser(numClasses, options.blank ?? numClasses - 1);
}

/** The argmax-collapse state machine, fed chunk by chunk. */
class GreedyCollapser {
  readonly numClasses: number;
  readonly blank: number;
  readonly labels: number[] = [];
  readonly onsets: number[] = [];
  /** Argmax of the last frame seen: a repeat of it across chunks is still a repeat. */
  private previous: number;

  constructor(numClasses: number, blank: number) {
    this.numClasses = numClasses;
    this.blank = blank;
    this.previous = blank;
  }

  reset(): void {
    this.labels.length = 0;
    this.onsets.length = 0;
    this.previous = this.blank;
  }

  push(emissions: EmissionMatrix, timestamps: ArrayLike<number>): void {
    const C = this.numClasses;
    const frames = frameCount(emissions, C);
    checkTimestamps(timestamps, frames);
    for (let t = 0; t < frames; t++) {
      const label = argmax(emissions, t * C, C);
      if (label !== this.blank && label !== this.previous) {
        this.labels.push(label);
        this.onsets.push(timestamps[t] as number);
      }
      this.previous = label;
    }
  }

  sequence(): LabelSequence {
    return { labels: Int32Array.from(this.labels), timestamps: Float64Array.from(this.onsets) };
  }
}

/** `np.argmax` of row emissions[offset..offset+length-1]: first maximum, or first NaN. */
function argmax(emissions: EmissionMatrix, offset: number, length: number): number {
  let best = 0;
  let bestValue = emissions[offset] as number;
  if (Number.isNaN(bestValue)) return 0;
  for (let c = 1; c < length; c++) {
    const value = emissions[offset + c] as number;
    if (value > bestValue) {
      best = c;
      bestValue = value;
    } else if (Number.isNaN(value)) {
      return c;
    }
  }
  return best;
}

/**
 * emg2qwerty's `CTCGreedyDecoder`: greedy decoding over a stream of chunks
 * (state carries over, so chunked decoding equals decoding the whole), with
 * results as `LabelData` of the charset.
 */
export class CTCGreedyDecoder implements CTCDecoder {
  readonly charset: CharacterSet;
  private readonly collapser: GreedyCollapser;

  constructor({ charset = defaultCharset }: { charset?: CharacterSet } = {}) {
    this.charset = charset;
    this.collapser = new GreedyCollapser(charset.numClasses, charset.nullClass);
  }

  get numClasses(): number {
    return this.charset.numClasses;
  }

  reset(): void {
    this.collapser.reset();
  }

  /** Decodes the next (T, C) chunk; returns everything decoded since the last reset. */
  decode(emissions: EmissionMatrix, timestamps: ArrayLike<number>): LabelData {
    this.collapser.push(emissions, timestamps);
    return LabelData.fromLabels(this.collapser.labels, this.collapser.onsets, this.charset);
  }

  decodeBatch(emissions: EmissionMatrix, lengths: ArrayLike<number>): LabelData[] {
    return decodeEachItem(emissions, lengths, this.numClasses, (item, timestamps) => {
      this.reset();
      return this.decode(item, timestamps);
    });
  }
}
