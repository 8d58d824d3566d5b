import * as tf from "@tensorflow/tfjs-core";
import { uniformVariable } from "../init.js";
import type { ForwardOptions } from "../model.js";
import type { ParamTree } from "../params.js";
import { checkpointSequence, variablesOf } from "./checkpoint.js";
import { linear } from "./linear.js";

/** Shape of a PyTorch `nn.LSTM` / `nn.GRU` stack (time-first, zero initial state). */
export interface RecurrentConfig {
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  /** A second, backward-in-time pass per layer whose output is concatenated: features 2 x hiddenSize. */
  bidirectional: boolean;
  /** Dropout on every layer's output but the last, in training only (PyTorch's `dropout`). */
  dropout: number;
}

/** One direction of one layer, PyTorch layout: `weightIh` (G*H, I), `weightHh` (G*H, H), biases (G*H). */
export interface DirectionWeights {
  weightIh: tf.Variable;
  weightHh: tf.Variable;
  biasIh: tf.Variable;
  biasHh: tf.Variable;
}

/** Runs one direction over a whole sequence: (T, N, I) -> (T, N, H); `reverse` walks time backwards. */
export type DirectionRunner = (
  weights: DirectionWeights,
  inputs: tf.Tensor3D,
  reverse: boolean,
) => tf.Tensor3D;

/** Output features of a stack: hiddenSize, doubled when bidirectional. */
export function recurrentOutputSize(config: RecurrentConfig): number {
  return config.bidirectional ? 2 * config.hiddenSize : config.hiddenSize;
}

const directionSuffixes = (config: RecurrentConfig) =>
  config.bidirectional ? ["", "_reverse"] : [""];

/**
 * Parameters named as PyTorch's state_dict (`weight_ih_l0`, ..., `bias_hh_l1_reverse`),
 * in its order, each U(-1/sqrt(H), 1/sqrt(H)); `gateCount` is 4 for LSTM, 3 for GRU.
 */
export function createRecurrentParams(
  config: RecurrentConfig,
  gateCount: number,
  nextSeed: () => number,
): ParamTree {
  const { inputSize, hiddenSize, numLayers } = config;
  const bound = 1 / Math.sqrt(hiddenSize);
  const gates = gateCount * hiddenSize;
  const params: ParamTree = {};
  for (let layer = 0; layer < numLayers; layer++) {
    const layerInput = layer === 0 ? inputSize : recurrentOutputSize(config);
    for (const suffix of directionSuffixes(config)) {
      params[`weight_ih_l${layer}${suffix}`] = uniformVariable(
        [gates, layerInput],
        bound,
        nextSeed(),
      );
      params[`weight_hh_l${layer}${suffix}`] = uniformVariable(
        [gates, hiddenSize],
        bound,
        nextSeed(),
      );
      params[`bias_ih_l${layer}${suffix}`] = uniformVariable([gates], bound, nextSeed());
      params[`bias_hh_l${layer}${suffix}`] = uniformVariable([gates], bound, nextSeed());
    }
  }
  return params;
}

function directionWeights(params: ParamTree, layer: number, suffix: string): DirectionWeights {
  const get = (name: string) => {
    const value = params[`${name}_l${layer}${suffix}`];
    if (!(value instanceof tf.Variable))
      throw new Error(`recurrent parameter ${name}_l${layer}${suffix} is missing`);
    return value;
  };
  return {
    weightIh: get("weight_ih"),
    weightHh: get("weight_hh"),
    biasIh: get("bias_ih"),
    biasHh: get("bias_hh"),
  };
}

/** (T, N, I) x weight (G, I) + bias (G) -> (T, N, G): every step's input projection in one matMul. */
export function projectInputs(
  inputs: tf.Tensor3D,
  weight: tf.Tensor2D,
  bias: tf.Tensor1D,
): tf.Tensor3D {
  return linear({ weight, bias }, inputs) as tf.Tensor3D;
}

/**
 * Layers one after another, each direction run by `runDirection`, directions
 * concatenated on features (forward first, as PyTorch): (T, N, I) -> (T, N, H or 2H).
 */
export function runRecurrentStack(
  params: ParamTree,
  config: RecurrentConfig,
  inputs: tf.Tensor3D,
  training: boolean,
  runDirection: DirectionRunner,
): tf.Tensor3D {
  // Checkpointed layers: the backward pass keeps each layer's input, and one layer's steps at a time.
  const layers = Array.from({ length: config.numLayers }, (_, layer) => {
    const weights = directionSuffixes(config).map((suffix) =>
      directionWeights(params, layer, suffix),
    );
    return {
      run: (input: tf.Tensor) =>
        tf.tidy(() => {
          const outputs = weights.map((w, direction) =>
            runDirection(w, input as tf.Tensor3D, direction === 1),
          );
          const output = outputs.length === 1 ? (outputs[0] as tf.Tensor) : tf.concat(outputs, 2);
          const isLast = layer === config.numLayers - 1;
          return training && config.dropout > 0 && !isLast
            ? tf.dropout(output, config.dropout)
            : output;
        }),
      params: weights.flatMap(variablesOf),
    };
  });
  return checkpointSequence(layers, inputs) as tf.Tensor3D;
}

/**
 * A multi-layer, optionally bidirectional recurrent layer with zero initial state from
 * its direction runner: (params, config, (T, N, I), options) -> (T, N, H or 2H).
 */
export function recurrentLayer(
  runDirection: DirectionRunner,
): (
  params: ParamTree,
  config: RecurrentConfig,
  inputs: tf.Tensor3D,
  options: ForwardOptions,
) => tf.Tensor3D {
  return (params, config, inputs, options) =>
    tf.tidy(() => runRecurrentStack(params, config, inputs, options.training, runDirection));
}
