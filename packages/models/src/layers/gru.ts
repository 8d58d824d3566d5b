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
import { splitSteps, timeOrder } from "./recurrent-steps.js";

/**
 * PyTorch `nn.GRU` parameters (`weight_ih_l{k}` (3H, I), `weight_hh_l{k}` (3H, H),
 * `bias_ih_l{k}`, `bias_hh_l{k}` (3H), `_reverse` for the backward direction),
 * gate rows in PyTorch's order r, z, n.
 */
export function createGru(config: RecurrentConfig, nextSeed: () => number): ParamTree {
  return createRecurrentParams(config, 3, nextSeed);
}

/** What one step keeps for backpropagation, each (N, H): r, z, n, the recurrent n term, the new hidden state. */
const savedPerStep = 5;

/**
 * The recurrence of one direction over precomputed input projections
 * x = W_ih x_t + b_ih (T, N, 3H) -> hidden states (T, N, H), PyTorch's equations:
 * with h_* = W_h* h + b_h*, r = σ(x_r + h_r), z = σ(x_z + h_z),
 * n = tanh(x_n + r h_n), h' = (1 - z) n + z h. b_hn sits inside the reset
 * product, so b_hh is added per step rather than folded into the projection.
 *
 * Backpropagation through time is written out (see `lstmRecurrence` for why):
 * one plain matMul per step, W_hh's gradient in one matMul over all steps.
 */
function gruRecurrence(
  projected: tf.Tensor3D,
  weightHh: tf.Tensor2D,
  biasHh: tf.Tensor1D,
  reverse: boolean,
): tf.Tensor3D {
  const recurrence = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, w, b, save] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    const [steps, batch, gateWidth] = x.shape;
    const hiddenSize = gateWidth / 3;
    const weightHhT = tf.transpose(w); // (H, 3H)
    const stepInputs = splitSteps(x);
    const saved: tf.Tensor[] = new Array(steps * savedPerStep);
    const hiddens: tf.Tensor[] = new Array(steps);
    let hidden: tf.Tensor = tf.zeros([batch, hiddenSize]);
    for (const t of timeOrder(steps, reverse)) {
      const recurrent = tf.add(tf.matMul(hidden, weightHhT), b);
      const [inputReset, inputUpdate, inputNew] = tf.split(stepInputs[t] as tf.Tensor, 3, 1);
      const [hiddenReset, hiddenUpdate, hiddenNew] = tf.split(recurrent, 3, 1) as tf.Tensor[];
      const r = tf.sigmoid(tf.add(inputReset as tf.Tensor, hiddenReset as tf.Tensor));
      const z = tf.sigmoid(tf.add(inputUpdate as tf.Tensor, hiddenUpdate as tf.Tensor));
      const n = tf.tanh(tf.add(inputNew as tf.Tensor, tf.mul(r, hiddenNew as tf.Tensor)));
      hidden = tf.add(n, tf.mul(z, tf.sub(hidden, n)));
      hiddens[t] = hidden;
      saved.splice(t * savedPerStep, savedPerStep, r, z, n, hiddenNew as tf.Tensor, hidden);
    }
    save([w, ...saved]);
    return {
      value: tf.stack(hiddens) as tf.Tensor3D,
      gradFunc: (dy, kept) => tf.tidy(() => gruBackward(dy as tf.Tensor3D, kept, reverse)),
    };
  });
  return recurrence(projected, weightHh, biasHh) as tf.Tensor3D;
}

/** Gradients of `gruRecurrence` for its projections (T, N, 3H), W_hh (3H, H) and b_hh (3H). */
function gruBackward(dy: tf.Tensor3D, kept: tf.Tensor[], reverse: boolean): tf.Tensor[] {
  const [steps, batch, hiddenSize] = dy.shape;
  const [weightHh, ...saved] = kept as [tf.Tensor2D, ...tf.Tensor[]];
  const at = (t: number, slot: number) => saved[t * savedPerStep + slot] as tf.Tensor;
  const one = tf.scalar(1);
  const zeros = tf.zeros([batch, hiddenSize]);
  const sigmoidSlope = (s: tf.Tensor) => tf.mul(s, tf.sub(one, s));
  const dOutputs = splitSteps(dy);
  const dInputGates: tf.Tensor[] = new Array(steps);
  const dHiddenGates: tf.Tensor[] = new Array(steps);
  const previousHiddens: tf.Tensor[] = new Array(steps);
  let dHidden: tf.Tensor = zeros;
  // Visit steps in the opposite order to the forward pass; "previous" is the step before in that pass.
  const forwardOrder = timeOrder(steps, reverse);
  for (let k = steps - 1; k >= 0; k--) {
    const t = forwardOrder[k] as number;
    const previous = k > 0 ? (forwardOrder[k - 1] as number) : undefined;
    const [r, z, n, hiddenNew] = [0, 1, 2, 3].map((slot) => at(t, slot)) as tf.Tensor[];
    const previousHidden = previous === undefined ? zeros : at(previous, 4);
    previousHiddens[t] = previousHidden;
    const dH = tf.add(dHidden, dOutputs[t] as tf.Tensor);
    const dN = tf.mul(
      tf.mul(dH, tf.sub(one, z as tf.Tensor)),
      tf.sub(one, tf.square(n as tf.Tensor)),
    );
    const dZ = tf.mul(
      tf.mul(dH, tf.sub(previousHidden, n as tf.Tensor)),
      sigmoidSlope(z as tf.Tensor),
    );
    const dR = tf.mul(tf.mul(dN, hiddenNew as tf.Tensor), sigmoidSlope(r as tf.Tensor));
    const dHiddenGate = tf.concat([dR, dZ, tf.mul(dN, r as tf.Tensor)], 1);
    dInputGates[t] = tf.concat([dR, dZ, dN], 1);
    dHiddenGates[t] = dHiddenGate;
    dHidden = tf.add(tf.mul(dH, z as tf.Tensor), tf.matMul(dHiddenGate, weightHh));
  }
  const dHiddenRows = tf.reshape(tf.stack(dHiddenGates), [steps * batch, 3 * hiddenSize]);
  const previousRows = tf.reshape(tf.stack(previousHiddens), [steps * batch, hiddenSize]);
  return [
    tf.stack(dInputGates),
    tf.matMul(tf.transpose(dHiddenRows), previousRows),
    tf.sum(dHiddenRows, 0),
  ];
}

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
  return gruRecurrence(
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
