import * as tf from "@tensorflow/tfjs-core";
import type { ForwardOptions } from "../model.js";
import type { ParamTree } from "../params.js";
import {
  createRecurrentParams,
  type DirectionWeights,
  projectInputs,
  type RecurrentConfig,
  runRecurrentStack,
} from "./recurrent-stack.js";

/**
 * PyTorch `nn.LSTM` parameters (`weight_ih_l{k}` (4H, I), `weight_hh_l{k}` (4H, H),
 * `bias_ih_l{k}`, `bias_hh_l{k}` (4H), `_reverse` for the backward direction),
 * gate rows in PyTorch's order i, f, g, o.
 */
export function createLstm(config: RecurrentConfig, nextSeed: () => number): ParamTree {
  return createRecurrentParams(config, 4, nextSeed);
}

/** One direction: both biases go into the all-steps input projection, so a step is one matMul and the gates. */
function runLstmDirection(
  weights: DirectionWeights,
  inputs: tf.Tensor3D,
  reverse: boolean,
): tf.Tensor3D {
  const [steps, batch] = inputs.shape;
  const hiddenSize = weights.weightHh.shape[1] as number;
  const projected = projectInputs(
    inputs,
    weights.weightIh as tf.Tensor2D,
    tf.add(weights.biasIh, weights.biasHh),
  );
  const stepInputs = tf.unstack(projected) as tf.Tensor2D[];
  let hidden: tf.Tensor2D = tf.zeros([batch, hiddenSize]);
  let cell: tf.Tensor2D = tf.zeros([batch, hiddenSize]);
  const outputs: tf.Tensor2D[] = new Array(steps);
  for (let i = 0; i < steps; i++) {
    const t = reverse ? steps - 1 - i : i;
    const gates = tf.add(
      stepInputs[t] as tf.Tensor2D,
      tf.matMul(hidden, weights.weightHh as tf.Tensor2D, false, true),
    );
    const [inputGate, forgetGate, candidate, outputGate] = tf.split(gates, 4, 1) as [
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor2D,
    ];
    cell = tf.add(
      tf.mul(tf.sigmoid(forgetGate), cell),
      tf.mul(tf.sigmoid(inputGate), tf.tanh(candidate)),
    );
    hidden = tf.mul(tf.sigmoid(outputGate), tf.tanh(cell));
    outputs[t] = hidden;
  }
  return tf.stack(outputs) as tf.Tensor3D;
}

/**
 * Multi-layer, optionally bidirectional LSTM with zero initial state, as PyTorch's
 * `nn.LSTM(batch_first=False)` output: (T, N, I) -> (T, N, H), or (T, N, 2H) bidirectional.
 * Only matMul/slice/elementwise ops, so it trains on the wasm backend.
 */
export function lstm(
  params: ParamTree,
  config: RecurrentConfig,
  inputs: tf.Tensor3D,
  options: ForwardOptions,
): tf.Tensor3D {
  return tf.tidy(() =>
    runRecurrentStack(params, config, inputs, options.training, runLstmDirection),
  );
}
