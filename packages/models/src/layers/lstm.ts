import * as tf from "@tensorflow/tfjs-core";
import type { ParamTree } from "../params.js";
import { type RecurrentCell, recurrence, sigmoidSlope } from "./recurrent-bptt.js";
import {
  createRecurrentParams,
  type DirectionWeights,
  projectInputs,
  type RecurrentConfig,
  recurrentLayer,
} from "./recurrent-stack.js";

/**
 * PyTorch `nn.LSTM` parameters (`weight_ih_l{k}` (4H, I), `weight_hh_l{k}` (4H, H),
 * `bias_ih_l{k}`, `bias_hh_l{k}` (4H), `_reverse` for the backward direction),
 * gate rows in PyTorch's order i, f, g, o.
 */
export function createLstm(config: RecurrentConfig, nextSeed: () => number): ParamTree {
  return createRecurrentParams(config, 4, nextSeed);
}

/**
 * gates = x_t + h W_hhᵀ; i, f, o = σ(·), g = tanh(·); c' = f c + i g, h' = o tanh(c').
 * Keeps the activated gates; the cell is the carried state.
 */
const lstmCell: RecurrentCell = {
  gates: 4,
  carried: 1,
  step(input, recurrent, previous) {
    const gates = tf.add(input, recurrent);
    const [batch, gateWidth] = gates.shape as [number, number];
    const hiddenSize = gateWidth / 4;
    const [i, f, , o] = tf.split(tf.sigmoid(gates), 4, 1) as [
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
    ];
    const g = tf.tanh(tf.slice(gates, [0, 2 * hiddenSize], [batch, hiddenSize]));
    const cell = tf.add(tf.mul(f, previous.carry[0] as tf.Tensor), tf.mul(i, g));
    return { hidden: tf.mul(o, tf.tanh(cell)), carry: [cell], kept: [i, f, g, o] };
  },
  backStep({ dHidden, dCarry }, step, previous) {
    const [i, f, g, o] = step.kept as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const cellTanh = tf.tanh(step.carry[0] as tf.Tensor);
    const dC = tf.add(
      dCarry[0] as tf.Tensor,
      tf.mul(tf.mul(dHidden, o), tf.sub(1, tf.square(cellTanh))),
    );
    const dGate = tf.concat(
      [
        tf.mul(tf.mul(dC, g), sigmoidSlope(i)),
        tf.mul(tf.mul(dC, previous.carry[0] as tf.Tensor), sigmoidSlope(f)),
        tf.mul(tf.mul(dC, i), tf.sub(1, tf.square(g))),
        tf.mul(tf.mul(dHidden, cellTanh), sigmoidSlope(o)),
      ],
      1,
    );
    return { dInput: dGate, dRecurrent: dGate, dCarry: [tf.mul(dC, f)], dHiddenDirect: null };
  },
};

/** One direction: both biases go into the all-steps input projection, so a step is one matMul and the gates. */
function runLstmDirection(
  weights: DirectionWeights,
  inputs: tf.Tensor3D,
  reverse: boolean,
): tf.Tensor3D {
  const bias = tf.add(weights.biasIh, weights.biasHh) as tf.Tensor1D;
  const projected = projectInputs(inputs, weights.weightIh as tf.Tensor2D, bias);
  return recurrence(lstmCell, projected, weights.weightHh as tf.Tensor2D, null, reverse);
}

/**
 * Multi-layer, optionally bidirectional LSTM with zero initial state, as PyTorch's
 * `nn.LSTM(batch_first=False)` output: (T, N, I) -> (T, N, H), or (T, N, 2H) bidirectional.
 * Trains on the wasm backend.
 */
export const lstm = recurrentLayer(runLstmDirection);
