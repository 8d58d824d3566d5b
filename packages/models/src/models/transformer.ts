import * as tf from "@tensorflow/tfjs-core";
import { seedSequence, uniformVariable } from "../init.js";
import {
  createEncoderLayer,
  type EncoderLayerParams,
  encoderLayer,
} from "../layers/attention-encoder-layer.js";
import { causalAttentionMask } from "../layers/attention-mask.js";
import { sinusoidalPositions } from "../layers/attention-positions.js";
import { checkpointSequence, variablesOf } from "../layers/checkpoint.js";
import { createFrontEnd, frontEnd, frontEndFeatures } from "../layers/front-end.js";
import { createLayerNorm, layerNorm } from "../layers/layer-norm.js";
import { createLinear, linear } from "../layers/linear.js";
import { assembleModel, type EmgModel, type ForwardOptions } from "../model.js";

/** Fixed sinusoids, or a learned (maxTokens, dModel) table that bounds the input length. */
export type PositionEncoding = { kind: "sinusoidal" } | { kind: "learned"; maxTokens: number };

export interface TransformerConfig {
  /** Electrode channels · frequency bins per band (16 · 33), as emg2qwerty's front end. */
  inFeatures: number;
  /** Electrodes per band (default 16): inputs are (T, N, 2, electrodeChannels, inFeatures / it). */
  electrodeChannels?: number;
  mlpFeatures: number[];
  /**
   * Consecutive frames concatenated into one token before the encoder, so
   * attention costs (T / frameStacking)² rather than T²; trailing frames that
   * do not fill a token are dropped.
   */
  frameStacking: number;
  dModel: number;
  heads: number;
  layers: number;
  /** Hidden width of each feed-forward block. */
  feedForward: number;
  /** On attention weights, feed-forward activations and both residual branches, in training only. */
  dropout: number;
  /** Mask future tokens, so that an output depends only on the past and the model can stream. */
  causal: boolean;
  positions: PositionEncoding;
  numClasses: number;
}

/**
 * emg2qwerty's front end, two frames per token (16 ms), 6 pre-norm layers of
 * width 256 with 4 heads; bidirectional. At 622 frames and batch 32 one
 * layer's attention weights take 32 · 4 · 311² floats (50 MB); without the
 * stacking they would take 200 MB, and training would not fit wasm's 4 GB.
 */
export const defaultTransformerConfig: TransformerConfig = {
  inFeatures: 528,
  mlpFeatures: [384],
  frameStacking: 2,
  dModel: 256,
  heads: 4,
  layers: 6,
  feedForward: 1024,
  dropout: 0.1,
  causal: false,
  positions: { kind: "sinusoidal" },
  numClasses: 99,
};

/**
 * A transformer encoder, as the PyTorch `nn.Sequential(SpectrogramNorm,
 * MultiBandRotationInvariantMLP, Flatten, TransformerBody,
 * Linear(dModel, numClasses), LogSoftmax)` under `model`, where TransformerBody has
 * `input_projection` (Linear(frameStacking · 768, dModel)), `position_embedding`
 * (learned positions only) and `encoder`, an `nn.TransformerEncoder` of pre-norm
 * layers with a final `norm` (`model.3.encoder.layers.{i}.self_attn.in_proj_weight`, ...).
 *
 * T_out = floor(T_in / frameStacking). receptiveField is Infinity either way:
 * causal attention reaches back to the first frame; it never looks ahead, so
 * output u depends on input frames 0 .. (u + 1) · frameStacking - 1 only.
 */
export function createTransformer(
  config: TransformerConfig = defaultTransformerConfig,
  seed = 0,
): EmgModel<TransformerConfig> {
  if (config.dModel % config.heads !== 0) {
    throw new Error(
      `transformer dModel ${config.dModel} is not a multiple of heads ${config.heads}`,
    );
  }
  const nextSeed = seedSequence(seed);
  const front = createFrontEnd(config, nextSeed);
  const tokenFeatures = config.frameStacking * frontEndFeatures(config);
  const inputProjection = createLinear(tokenFeatures, config.dModel, nextSeed);
  const layers: Record<string, EncoderLayerParams> = {};
  for (let layer = 0; layer < config.layers; layer++) {
    layers[String(layer)] = createEncoderLayer(config, nextSeed);
  }
  const finalNorm = createLayerNorm(config.dModel);
  const positionTable =
    config.positions.kind === "learned"
      ? uniformVariable([config.positions.maxTokens, config.dModel], 0.02, nextSeed())
      : null;
  const body = {
    input_projection: inputProjection,
    ...(positionTable === null ? {} : { position_embedding: positionTable }),
    encoder: { layers, norm: finalNorm },
  };
  const classifier = createLinear(config.dModel, config.numClasses, nextSeed);
  const params = { model: { ...front.params, "3": body, "4": classifier } };
  const buffers = { model: front.buffers };

  /** (T, N, F) -> (floor(T / s), N, s · F): frames t·s .. t·s + s - 1 side by side. */
  function stackFrames(x: tf.Tensor3D): tf.Tensor3D {
    const [frames, batch, features] = x.shape;
    const stride = config.frameStacking;
    const tokens = Math.floor(frames / stride);
    const kept = tf.slice(x, [0, 0, 0], [tokens * stride, batch, features]);
    const grouped = tf.transpose(tf.reshape(kept, [tokens, stride, batch, features]), [0, 2, 1, 3]);
    return tf.reshape(grouped, [tokens, batch, stride * features]);
  }

  /** (T', d): sinusoids, or the first T' rows of the learned table (slice, not gather: trainable on wasm). */
  function positions(tokens: number): tf.Tensor {
    if (positionTable === null) return sinusoidalPositions(tokens, config.dModel);
    if (tokens > positionTable.shape[0]) {
      throw new Error(
        `transformer input has ${tokens} tokens; learned positions cover ${positionTable.shape[0]}`,
      );
    }
    return tf.slice(positionTable, [0, 0], [tokens, config.dModel]);
  }

  function forward(inputs: tf.Tensor, { training }: ForwardOptions): tf.Tensor {
    return tf.tidy(() => {
      const features = frontEnd(front.params, front.buffers, inputs, { training }) as tf.Tensor3D;
      const tokens = stackFrames(features);
      const tokenCount = tokens.shape[0];
      // (T', N, d) + (T', 1, d)
      let x = tf.add(
        linear(inputProjection, tokens),
        tf.expandDims(positions(tokenCount), 1),
      ) as tf.Tensor3D;
      if (training && config.dropout > 0) x = tf.dropout(x, config.dropout) as tf.Tensor3D;
      // Checkpointed layers; each makes its own mask, as the backward pass reruns it after
      // this tidy has ended.
      const sequence = Object.values(layers).map((layer) => ({
        run: (input: tf.Tensor) =>
          tf.tidy(() =>
            encoderLayer(
              layer,
              config,
              input as tf.Tensor3D,
              config.causal ? causalAttentionMask(tokenCount) : null,
              training,
            ),
          ),
        params: variablesOf(layer),
      }));
      x = checkpointSequence(sequence, x) as tf.Tensor3D;
      return tf.logSoftmax(linear(classifier, layerNorm(finalNorm, x)));
    });
  }

  return assembleModel({
    kind: "transformer",
    config,
    params,
    buffers,
    forward,
    outputLength: (inputFrames) => Math.floor(inputFrames / config.frameStacking),
    receptiveField: Number.POSITIVE_INFINITY,
  });
}
