import type { Example } from "./examples.js";

/** A padded batch, time first, as emg2qwerty's `WindowedEMGDataset.collate` builds it. */
export interface Batch {
  /** (T_max, N, 2, electrodes, freqs), zero after each example's frames. */
  inputs: Float32Array;
  /** [T_max, N, 2, electrodes, freqs]: electrodes per band from the examples (16 by default). */
  shape: [number, number, number, number, number];
  /** Frames of each example, (N,). */
  inputLengths: Int32Array;
  /** Labels, (N, S_max), zero-padded. */
  targets: Int32Array;
  /** Labels of each example, (N,). */
  targetLengths: Int32Array;
}

const BANDS = 2;
const DEFAULT_ELECTRODES = 16;

/**
 * Pads and stacks examples (`pad_sequence` for inputs and targets). Every example must have the
 * same electrodes per band and values per frame.
 */
export function collate(examples: readonly Example[]): Batch {
  const first = examples[0];
  if (first === undefined) throw new RangeError("cannot collate an empty batch");
  const N = examples.length;
  const electrodes = first.electrodes ?? DEFAULT_ELECTRODES;
  // An example of 0 frames does not tell its frame size: take it from one that has frames.
  const sized = examples.find((e) => e.frames > 0);
  const frameSize = sized === undefined ? 0 : sized.inputs.length / sized.frames;
  const freqs = frameSize / (BANDS * electrodes);
  if (!Number.isInteger(freqs)) {
    throw new RangeError(
      `${frameSize} values per frame are not ${BANDS} bands x ${electrodes} electrodes x bins`,
    );
  }
  const T = Math.max(...examples.map((e) => e.frames));
  const S = Math.max(...examples.map((e) => e.labels.length));
  const inputs = new Float32Array(T * N * frameSize);
  const targets = new Int32Array(N * S);
  examples.forEach((example, n) => {
    const exampleElectrodes = example.electrodes ?? DEFAULT_ELECTRODES;
    if (exampleElectrodes !== electrodes) {
      throw new RangeError(
        `example ${n} has ${exampleElectrodes} electrodes per band, example 0 has ${electrodes}`,
      );
    }
    if (example.inputs.length !== example.frames * frameSize) {
      throw new RangeError(
        `example ${n} has ${example.inputs.length / example.frames} values per frame, not ${frameSize}`,
      );
    }
    for (let t = 0; t < example.frames; t++) {
      inputs.set(
        example.inputs.subarray(t * frameSize, (t + 1) * frameSize),
        (t * N + n) * frameSize,
      );
    }
    targets.set(example.labels, n * S);
  });
  return {
    inputs,
    shape: [T, N, BANDS, electrodes, freqs],
    inputLengths: Int32Array.from(examples, (e) => e.frames),
    targets,
    targetLengths: Int32Array.from(examples, (e) => e.labels.length),
  };
}

/** The buffers of a batch, to transfer it between threads without copying. */
export function batchTransferList(batch: Batch): ArrayBuffer[] {
  return [batch.inputs, batch.inputLengths, batch.targets, batch.targetLengths].map(
    (array) => array.buffer as ArrayBuffer,
  );
}
