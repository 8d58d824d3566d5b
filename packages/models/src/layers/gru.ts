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
 * PyTorch `nn.GRU` parameters (`weight_ih_l{k}` (3H, I), `weight_hh_l{k}` (3H, H),
 * `bias_ih_l{k}`, `bias_hh_l{k}` (3H), `_reverse` for the backward direction),
 * gate rows in PyTorch's order r, z, n.
 */
export function createGru(config: RecurrentConfig, nextSeed: () => number): ParamTree {
  return createRecurrentParams(config, 3, nextSeed);
}

/**
 * One direction, PyTorch's equations: r = σ(x_r + h_r), z = σ(x_z + h_z),
 * n = tanh(x_n + r * h_n), h' = (1 - z) n + z h, where x_* include b_ih and h_* include
 * b_hh; b_hn stays inside the reset product, so b_hh is added per step.
 */
function runGruDirection(
  weights: DirectionWeights,
  inputs: tf.Tensor3D,
  reverse: boolean,
): tf.Tensor3D {
  const [steps, batch] = inputs.shape;
  const hiddenSize = weights.weightHh.shape[1] as number;
  const projected = projectInputs(
    inputs,
    weights.weightIh as tf.Tensor2D,
    weights.biasIh as tf.Tensor1D,
  );
  const stepInputs = tf.unstack(projected) as tf.Tensor2D[];
  let hidden: tf.Tensor2D = tf.zeros([batch, hiddenSize]);
  const outputs: tf.Tensor2D[] = new Array(steps);
  for (let i = 0; i < steps; i++) {
    const t = reverse ? steps - 1 - i : i;
    const recurrent = tf.add(
      tf.matMul(hidden, weights.weightHh as tf.Tensor2D, false, true),
      weights.biasHh,
    );
    const [inputReset, inputUpdate, inputNew] = tf.split(stepInputs[t] as tf.Tensor2D, 3, 1);
    const [hiddenReset, hiddenUpdate, hiddenNew] = tf.split(recurrent, 3, 1);
    const reset = tf.sigmoid(tf.add(inputReset as tf.Tensor2D, hiddenReset as tf.Tensor2D));
    const update = tf.sigmoid(tf.add(inputUpdate as tf.Tensor2D, hiddenUpdate as tf.Tensor2D));
    const candidate = tf.tanh(
      tf.add(inputNew as tf.Tensor2D, tf.mul(reset, hiddenNew as tf.Tensor2D)),
    );
    hidden = tf.add(candidate, tf.mul(update, tf.sub(hidden, candidate)));
    outputs[t] = hidden;
  }
  return tf.stack(outputs) as tf.Tensor3D;
}

/**
 * Multi-layer, optionally bidirectional GRU with zero initial state, as PyTorch's
 * `nn.GRU(batch_first=False)` output: (T, N, I) -> (T, N, H), or (T, N, 2H) bidirectional.
 * Only matMul/slice/elementwise ops, so it trains on the wasm backend.
 */
export function gru(
  params: ParamTree,
  config: RecurrentConfig,
  inputs: tf.Tensor3D,
  options: ForwardOptions,
): tf.Tensor3D {
  return tf.tidy(() =>
    runRecurrentStack(params, config, inputs, options.training, runGruDirection),
  );
}
