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
 * PyTorch `nn.GRU` parameters (`weight_ih_l{k}` (3H, I), `weight_hh_l{k}` (3H, H),
 * `bias_ih_l{k}`, `bias_hh_l{k}` (3H), `_reverse` for the backward direction),
 * gate rows in PyTorch's order r, z, n.
 */
export function createGru(config: RecurrentConfig, nextSeed: () => number): ParamTree {
  return createRecurrentParams(config, 3, nextSeed);
}

/**
 * PyTorch's equations over x = W_ih x_t + b_ih and h_* = W_h* h + b_h*:
 * r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r h_n), h' = (1 - z) n + z h.
 * b_hn sits inside the reset product, so b_hh is added per step rather than
 * folded into the projection. Keeps r, z, n and h_n.
 */
const gruCell: RecurrentCell = {
  gates: 3,
  carried: 0,
  step(input, recurrent, previous) {
    const [inputReset, inputUpdate, inputNew] = tf.split(input, 3, 1) as tf.Tensor[];
    const [hiddenReset, hiddenUpdate, hiddenNew] = tf.split(recurrent, 3, 1) as tf.Tensor[];
    const r = tf.sigmoid(tf.add(inputReset as tf.Tensor, hiddenReset as tf.Tensor));
    const z = tf.sigmoid(tf.add(inputUpdate as tf.Tensor, hiddenUpdate as tf.Tensor));
    const n = tf.tanh(tf.add(inputNew as tf.Tensor, tf.mul(r, hiddenNew as tf.Tensor)));
    const hidden = tf.add(n, tf.mul(z, tf.sub(previous.hidden, n)));
    return { hidden, carry: [], kept: [r, z, n, hiddenNew as tf.Tensor] };
  },
  backStep({ dHidden }, step, previous) {
    const [r, z, n, hiddenNew] = step.kept as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const dN = tf.mul(tf.mul(dHidden, tf.sub(1, z)), tf.sub(1, tf.square(n)));
    const dZ = tf.mul(tf.mul(dHidden, tf.sub(previous.hidden, n)), sigmoidSlope(z));
    const dR = tf.mul(tf.mul(dN, hiddenNew), sigmoidSlope(r));
    return {
      dInput: tf.concat([dR, dZ, dN], 1),
      dRecurrent: tf.concat([dR, dZ, tf.mul(dN, r)], 1),
      dCarry: [],
      dHiddenDirect: tf.mul(dHidden, z),
    };
  },
};

function runGruDirection(
  weights: DirectionWeights,
  inputs: tf.Tensor3D,
  reverse: boolean,
): tf.Tensor3D {
  const projected = projectInputs(
    inputs,
    weights.weightIh as tf.Tensor2D,
    weights.biasIh as tf.Tensor1D,
  );
  return recurrence(
    gruCell,
    projected,
    weights.weightHh as tf.Tensor2D,
    weights.biasHh as tf.Tensor1D,
    reverse,
  );
}

/**
 * Multi-layer, optionally bidirectional GRU with zero initial state, as PyTorch's
 * `nn.GRU(batch_first=False)` output: (T, N, I) -> (T, N, H), or (T, N, 2H) bidirectional.
 * Trains on the wasm backend.
 */
export const gru = recurrentLayer(runGruDirection);
