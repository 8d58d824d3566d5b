/**
 * The finger task's model: a small causal encoder over per-time-point features, (T, N, F) ->
 * (T, N, H), and two heads on it: a classifier (6 finger classes, logits) and a CTC head (99
 * emg2qwerty classes, blank 98, log-probabilities) used only to pretrain the encoder on typing
 * data. The encoder is the part a pretrained file transfers. Parameters are named trees
 * (`encoder.blocks.0.conv.weight`, `head.weight`, ...) so weights save to safetensors.
 */
import { charset } from "@emgkit/emg-io";
import {
  causalConv,
  countParams,
  createLayerNorm,
  createLinear,
  createTemporalConv,
  disposeTree,
  type EmgModel,
  type LayerNormParams,
  type LinearParams,
  layerNorm,
  linear,
  registerWasmSharedIdentity,
  seedSequence,
  type TemporalConvParams,
} from "@emgkit/models";
import * as tf from "@tensorflow/tfjs-core";

export interface FingerEncoderConfig {
  /** Features per frame F (16: 8 channels and their envelopes). */
  inputFeatures: number;
  /** Channels H of every block and of the encoder's output. */
  hidden: number;
  /** Taps of each causal convolution. */
  kernelSize: number;
  /** One residual block per entry, convolving with that dilation. */
  dilations: number[];
}

/** 6 blocks of 32 channels, kernel 3, dilations 1..32: 127 frames (0.635 s at 200 Hz) of context. */
export const defaultFingerEncoderConfig: FingerEncoderConfig = {
  inputFeatures: 16,
  hidden: 32,
  kernelSize: 3,
  dilations: [1, 2, 4, 8, 16, 32],
};

/** One residual block: x + relu(norm(causalConv(x))). */
export type FingerBlockParams = { conv: TemporalConvParams; norm: LayerNormParams };

export type FingerEncoderParams = {
  /** Pointwise projection F -> H. */
  input: LinearParams;
  blocks: Record<string, FingerBlockParams>;
  /** LayerNorm of the encoder's output. */
  norm: LayerNormParams;
};

/** Frames one output frame sees: 1 + Σ (K - 1) · dilation. */
export function fingerReceptiveField(config: FingerEncoderConfig): number {
  return config.dilations.reduce((frames, d) => frames + (config.kernelSize - 1) * d, 1);
}

/** Seeded PyTorch-default initialisation of an encoder. */
export function createFingerEncoder(
  config: FingerEncoderConfig,
  nextSeed: () => number,
): FingerEncoderParams {
  for (const [what, value] of [
    ["inputFeatures", config.inputFeatures],
    ["hidden", config.hidden],
    ["kernelSize", config.kernelSize],
    ...config.dilations.map((d) => ["dilation", d] as const),
  ] as const) {
    if (!(Number.isInteger(value) && value >= 1)) {
      throw new RangeError(`finger encoder: ${what} must be a positive integer, got ${value}`);
    }
  }
  const blocks: Record<string, FingerBlockParams> = {};
  config.dilations.forEach((_, i) => {
    blocks[String(i)] = {
      conv: createTemporalConv(config.hidden, config.hidden, config.kernelSize, nextSeed),
      norm: createLayerNorm(config.hidden),
    };
  });
  return {
    input: createLinear(config.inputFeatures, config.hidden, nextSeed),
    blocks,
    norm: createLayerNorm(config.hidden),
  };
}

/**
 * The encoder, (T, N, F) -> (T, N, H): input projection, residual blocks
 * x = x + relu(layerNorm(causalConv(x, d_i))), output LayerNorm. Causal: output frame t depends
 * on input frames t - receptiveField + 1 .. t only.
 */
export function fingerEncoder(
  params: FingerEncoderParams,
  config: FingerEncoderConfig,
  x: tf.Tensor3D,
): tf.Tensor3D {
  return tf.tidy(() => {
    let h = linear(params.input, x) as tf.Tensor3D;
    config.dilations.forEach((dilation, i) => {
      const block = params.blocks[String(i)] as FingerBlockParams;
      const y = tf.relu(layerNorm(block.norm, causalConv(block.conv, h, dilation)));
      h = tf.add(h, y) as tf.Tensor3D;
    });
    return layerNorm(params.norm, h) as tf.Tensor3D;
  });
}

/** Configuration of an encoder with a head. */
export interface FingerModelConfig {
  encoder: FingerEncoderConfig;
  /** Output classes of the head: 6 for the finger classifier, 99 for the CTC head. */
  classes: number;
}

/** The finger classes' count (rest and five fingers). */
export const FINGER_CLASSES = 6;

/** An encoder and a linear head; `forward` gives per-frame scores. */
export interface FingerModel {
  readonly config: FingerModelConfig;
  readonly params: { encoder: FingerEncoderParams; head: LinearParams };
  /** (T, N, F) -> (T, N, classes) logits (unnormalised). */
  logits(x: tf.Tensor3D): tf.Tensor3D;
  /** Trainable scalars. */
  readonly parameterCount: number;
  dispose(): void;
}

/** An encoder (seeded) with a fresh head of `classes` outputs. */
export function createFingerModel(
  encoder: FingerEncoderConfig = defaultFingerEncoderConfig,
  classes: number = FINGER_CLASSES,
  seed = 0,
): FingerModel {
  const nextSeed = seedSequence(seed);
  const config = { encoder: { ...encoder, dilations: [...encoder.dilations] }, classes };
  const params = {
    encoder: createFingerEncoder(config.encoder, nextSeed),
    head: createLinear(encoder.hidden, classes, nextSeed),
  };
  return {
    config,
    params,
    logits: (x) => {
      registerWasmSharedIdentity();
      return tf.tidy(
        () => linear(params.head, fingerEncoder(params.encoder, config.encoder, x)) as tf.Tensor3D,
      );
    },
    parameterCount: countParams(params),
    dispose: () => disposeTree(params),
  };
}

/**
 * An encoder with the CTC head (99 classes, blank 98) as an `EmgModel`, so the trainer's CTC
 * `gradientStep` trains it. Its inputs are finger features in a batch's 5-d shape,
 * (T, N, 1, 1, F) (any shape (T, N, ...) with F values per frame), its outputs
 * (T, N, 99) log-probabilities, one per input frame.
 */
export function createFingerCtcModel(
  encoder: FingerEncoderConfig = defaultFingerEncoderConfig,
  seed = 0,
): EmgModel<FingerModelConfig> & { finger: FingerModel } {
  const finger = createFingerModel(encoder, charset.numClasses, seed);
  return {
    kind: "finger-ctc",
    config: finger.config,
    params: finger.params,
    buffers: {},
    forward: (inputs) =>
      tf.tidy(() => {
        const [frames, batch] = inputs.shape as [number, number];
        const x = tf.reshape(inputs, [frames, batch, encoder.inputFeatures]) as tf.Tensor3D;
        return tf.logSoftmax(finger.logits(x));
      }),
    outputLength: (inputFrames) => inputFrames,
    receptiveField: fingerReceptiveField(encoder),
    dispose: finger.dispose,
    finger,
  };
}
