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
 * PyTorch `nn.LSTM` parameters (`weight_ih_l{k}` (4H, I), `weight_hh_l{k}` (4H, H),
 * `bias_ih_l{k}`, `bias_hh_l{k}` (4H), `_reverse` for the backward direction),
 * gate rows in PyTorch's order i, f, g, o.
 */
export function createLstm(config: RecurrentConfig, nextSeed: () => number): ParamTree {
  return createRecurrentParams(config, 4, nextSeed);
}

/** What one step keeps for backpropagation, each (N, H): activated gates, cell and hidden state. */
const savedPerStep = 6;

/**
 * The recurrence of one direction over precomputed input projections
 * (T, N, 4H), both biases included, -> hidden states (T, N, H):
 * i, f, o = σ(·), g = tanh(·), c' = f c + i g, h' = o tanh(c').
 *
 * Backpropagation through time is written out rather than taped: per step it
 * takes one plain matMul (dgates · W_hh), and W_hh's gradient is one matMul
 * over all steps, where tfjs' own gradients take two transposed matMuls per
 * step, which the wasm backend runs many times slower.
 */
function lstmRecurrence(
  projected: tf.Tensor3D,
  weightHh: tf.Tensor2D,
  reverse: boolean,
): tf.Tensor3D {
  const recurrence = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, w, save] = args as [tf.Tensor3D, tf.Tensor2D, tf.GradSaveFunc];
    const [steps, batch, gateWidth] = x.shape;
    const hiddenSize = gateWidth / 4;
    const weightHhT = tf.transpose(w); // (H, 4H)
    const stepInputs = splitSteps(x);
    const saved: tf.Tensor[] = new Array(steps * savedPerStep);
    const hiddens: tf.Tensor[] = new Array(steps);
    let hidden: tf.Tensor = tf.zeros([batch, hiddenSize]);
    let cell: tf.Tensor = hidden;
    for (const t of timeOrder(steps, reverse)) {
      const gates = tf.add(stepInputs[t] as tf.Tensor, tf.matMul(hidden, weightHhT));
      const [i, f, , o] = tf.split(tf.sigmoid(gates), 4, 1) as [
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
      ];
      const g = tf.tanh(tf.slice(gates, [0, 2 * hiddenSize], [batch, hiddenSize]));
      cell = tf.add(tf.mul(f, cell), tf.mul(i, g));
      hidden = tf.mul(o, tf.tanh(cell));
      hiddens[t] = hidden;
      saved.splice(t * savedPerStep, savedPerStep, i, f, g, o, cell, hidden);
    }
    save([w, ...saved]);
    return {
      value: tf.stack(hiddens) as tf.Tensor3D,
      gradFunc: (dy, kept) => tf.tidy(() => lstmBackward(dy as tf.Tensor3D, kept, reverse)),
    };
  });
  return recurrence(projected, weightHh) as tf.Tensor3D;
}

/** Gradients of `lstmRecurrence` for its projections (T, N, 4H) and W_hh (4H, H). */
function lstmBackward(dy: tf.Tensor3D, kept: tf.Tensor[], reverse: boolean): tf.Tensor[] {
  const [steps, batch, hiddenSize] = dy.shape;
  const [weightHh, ...saved] = kept as [tf.Tensor2D, ...tf.Tensor[]];
  const at = (t: number, slot: number) => saved[t * savedPerStep + slot] as tf.Tensor;
  const one = tf.scalar(1);
  const zeros = tf.zeros([batch, hiddenSize]);
  const dOutputs = splitSteps(dy);
  const dGates: tf.Tensor[] = new Array(steps);
  const previousHiddens: tf.Tensor[] = new Array(steps);
  let dHidden: tf.Tensor = zeros;
  let dCell: tf.Tensor = zeros;
  // Visit steps in the opposite order to the forward pass; "previous" is the step before in that pass.
  const forwardOrder = timeOrder(steps, reverse);
  for (let k = steps - 1; k >= 0; k--) {
    const t = forwardOrder[k] as number;
    const previous = k > 0 ? (forwardOrder[k - 1] as number) : undefined;
    const [i, f, g, o, cell] = [0, 1, 2, 3, 4].map((slot) => at(t, slot)) as tf.Tensor[];
    const previousCell = previous === undefined ? zeros : at(previous, 4);
    previousHiddens[t] = previous === undefined ? zeros : at(previous, 5);
    const cellTanh = tf.tanh(cell as tf.Tensor);
    const dH = tf.add(dHidden, dOutputs[t] as tf.Tensor);
    const dC = tf.add(dCell, tf.mul(tf.mul(dH, o as tf.Tensor), tf.sub(one, tf.square(cellTanh))));
    const sigmoidSlope = (s: tf.Tensor) => tf.mul(s, tf.sub(one, s));
    const dI = tf.mul(tf.mul(dC, g as tf.Tensor), sigmoidSlope(i as tf.Tensor));
    const dF = tf.mul(tf.mul(dC, previousCell), sigmoidSlope(f as tf.Tensor));
    const dG = tf.mul(tf.mul(dC, i as tf.Tensor), tf.sub(one, tf.square(g as tf.Tensor)));
    const dO = tf.mul(tf.mul(dH, cellTanh), sigmoidSlope(o as tf.Tensor));
    const dGate = tf.concat([dI, dF, dG, dO], 1);
    dGates[t] = dGate;
    dCell = tf.mul(dC, f as tf.Tensor);
    dHidden = tf.matMul(dGate, weightHh);
  }
  const dProjected = tf.stack(dGates);
  const dGateRows = tf.reshape(dProjected, [steps * batch, 4 * hiddenSize]);
  const previousRows = tf.reshape(tf.stack(previousHiddens), [steps * batch, hiddenSize]);
  return [dProjected, tf.matMul(tf.transpose(dGateRows), previousRows)];
}

/** One direction: both biases go into the all-steps input projection, so a step is one matMul and the gates. */
function runLstmDirection(
  weights: DirectionWeights,
  inputs: tf.Tensor3D,
  reverse: boolean,
): tf.Tensor3D {
  const bias = tf.add(weights.biasIh, weights.biasHh) as tf.Tensor1D;
  const projected = projectInputs(inputs, weights.weightIh as tf.Tensor2D, bias);
  return lstmRecurrence(projected, weights.weightHh as tf.Tensor2D, reverse);
}

/**
 * Multi-layer, optionally bidirectional LSTM with zero initial state, as PyTorch's
 * `nn.LSTM(batch_first=False)` output: (T, N, I) -> (T, N, H), or (T, N, 2H) bidirectional.
 * Trains on the wasm backend.
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
