import * as tf from "@tensorflow/tfjs-core";
import { splitSteps, timeOrder } from "./recurrent-steps.js";

/**
 * One recurrent cell (LSTM, GRU) for `recurrence`: a step forward, and that
 * step's gradient. Every tensor is (N, ·); G is the cell's gate count.
 */
export interface RecurrentCell {
  /** Gate blocks of W_hh: 4 for LSTM, 3 for GRU. */
  gates: number;
  /** State carried from step to step besides the hidden state (LSTM: the cell), each (N, H). */
  carried: number;
  /**
   * One step: `input` the step's input projection (N, G·H), `recurrent` the
   * previous hidden state's product h · W_hhᵀ (+ b_hh when the recurrence
   * has one) (N, G·H). Returns the new hidden state and carry, and what the
   * backward step needs beyond them (`kept`).
   */
  step(
    input: tf.Tensor,
    recurrent: tf.Tensor,
    previous: StepState,
  ): StepState & { kept: tf.Tensor[] };
  /**
   * The step's gradient, given dH (its hidden output's whole gradient) and
   * dCarry: the gradients of its input projection and of its recurrent
   * product (N, G·H), of the previous carry, and of the previous hidden state
   * along any path but the recurrent product (null where there is none).
   */
  backStep(
    grads: { dHidden: tf.Tensor; dCarry: tf.Tensor[] },
    step: StepState & { kept: tf.Tensor[] },
    previous: StepState,
  ): {
    dInput: tf.Tensor;
    dRecurrent: tf.Tensor;
    dCarry: tf.Tensor[];
    dHiddenDirect: tf.Tensor | null;
  };
}

/** A step's hidden state (N, H) and carried state. */
export type StepState = {
  hidden: tf.Tensor;
  carry: tf.Tensor[];
};

/**
 * The recurrence of one direction over precomputed input projections
 * (T, N, G·H) -> hidden states (T, N, H), zero initial state; `biasHh`
 * (G·H) is added to every step's recurrent product when given.
 *
 * Backpropagation through time is written out rather than taped: per step
 * one plain matMul (dRecurrent · W_hh), and W_hh's (and b_hh's) gradient
 * one matMul over all steps, where tfjs' own gradients take two transposed
 * matMuls per step, which the wasm backend runs many times slower.
 */
export function recurrence(
  cell: RecurrentCell,
  projected: tf.Tensor3D,
  weightHh: tf.Tensor2D,
  biasHh: tf.Tensor1D | null,
  reverse: boolean,
): tf.Tensor3D {
  const run = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [x, w] = args as [tf.Tensor3D, tf.Tensor2D];
    const b = biasHh === null ? null : (args[2] as tf.Tensor1D);
    const [steps, batch] = x.shape;
    const hiddenSize = w.shape[1];
    const weightHhT = tf.transpose(w); // (H, G·H)
    const stepInputs = splitSteps(x);
    const zeros = tf.zeros([batch, hiddenSize]);
    const states: Array<StepState & { kept: tf.Tensor[] }> = new Array(steps);
    let previous: StepState = {
      hidden: zeros,
      carry: Array.from({ length: cell.carried }, () => zeros),
    };
    for (const t of timeOrder(steps, reverse)) {
      const from = previous;
      // Per step: only what later steps and the backward pass read outlives it.
      const state = tf.tidy(() => {
        const product = tf.matMul(from.hidden, weightHhT);
        return cell.step(
          stepInputs[t] as tf.Tensor,
          b === null ? product : tf.add(product, b),
          from,
        );
      });
      (stepInputs[t] as tf.Tensor).dispose();
      states[t] = state;
      previous = state;
    }
    const perStep = 1 + cell.carried + (states[0]?.kept.length ?? 0);
    save([w, ...states.flatMap((s) => [s.hidden, ...s.carry, ...s.kept])]);
    return {
      value: tf.stack(states.map((s) => s.hidden)) as tf.Tensor3D,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
        // In a tidy: a customGrad's gradFunc runs in no scope of its own.
        tf.tidy(() => {
          const [weight, ...flat] = saved as [tf.Tensor2D, ...tf.Tensor[]];
          const at = (t: number): StepState & { kept: tf.Tensor[] } => {
            const s = flat.slice(t * perStep, (t + 1) * perStep);
            return {
              hidden: s[0] as tf.Tensor,
              carry: s.slice(1, 1 + cell.carried),
              kept: s.slice(1 + cell.carried),
            };
          };
          return backward(cell, dy as tf.Tensor3D, weight, at, reverse, b !== null);
        }),
    };
  });
  const inputs = biasHh === null ? [projected, weightHh] : [projected, weightHh, biasHh];
  return run(...inputs) as tf.Tensor3D;
}

/** Gradients of `recurrence` for its projections (T, N, G·H), W_hh (G·H, H) and, if it has one, b_hh. */
function backward(
  cell: RecurrentCell,
  dy: tf.Tensor3D,
  weightHh: tf.Tensor2D,
  at: (t: number) => StepState & { kept: tf.Tensor[] },
  reverse: boolean,
  withBias: boolean,
): tf.Tensor[] {
  const [steps, batch, hiddenSize] = dy.shape;
  const zeros = tf.zeros([batch, hiddenSize]);
  const initial: StepState = {
    hidden: zeros,
    carry: Array.from({ length: cell.carried }, () => zeros),
  };
  const dOutputs = splitSteps(dy);
  // Per-step gradients are copied out of the backend as they come (the wasm heap holds the
  // step's tensors only) and come back as one tensor each at the end.
  const gateWidth = cell.gates * hiddenSize;
  const dInputValues = new Float32Array(steps * batch * gateWidth);
  let dRecurrentValues: Float32Array | null = null;
  const previousHiddens: tf.Tensor[] = new Array(steps);
  let dHidden: tf.Tensor = zeros;
  let dCarry: tf.Tensor[] = initial.carry;
  // Visit steps in the opposite order to the forward pass; "previous" is the step before in that pass.
  const forwardOrder = timeOrder(steps, reverse);
  for (let k = steps - 1; k >= 0; k--) {
    const t = forwardOrder[k] as number;
    const previous = k > 0 ? at(forwardOrder[k - 1] as number) : initial;
    previousHiddens[t] = previous.hidden;
    const [incoming, carried] = [dHidden, dCarry];
    // Per step: the step's temporaries go, its gradients stay.
    const grads = tf.tidy(() => {
      const step = cell.backStep(
        { dHidden: tf.add(incoming, dOutputs[t] as tf.Tensor), dCarry: carried },
        at(t),
        previous,
      );
      const throughWeights = tf.matMul(step.dRecurrent, weightHh);
      const dPrevious =
        step.dHiddenDirect === null ? throughWeights : tf.add(step.dHiddenDirect, throughWeights);
      return { dInput: step.dInput, dRecurrent: step.dRecurrent, dCarry: step.dCarry, dPrevious };
    });
    const offset = t * batch * gateWidth;
    dInputValues.set(grads.dInput.dataSync(), offset);
    if (grads.dRecurrent !== grads.dInput) {
      dRecurrentValues ??= new Float32Array(steps * batch * gateWidth);
      dRecurrentValues.set(grads.dRecurrent.dataSync(), offset);
    }
    tf.dispose([dOutputs[t] as tf.Tensor, grads.dInput, grads.dRecurrent]);
    if (incoming !== zeros) tf.dispose([incoming, ...carried]);
    dCarry = grads.dCarry;
    dHidden = grads.dPrevious;
  }
  const dProjected = tf.tensor3d(dInputValues, [steps, batch, gateWidth]);
  // The LSTM's step gradient is one tensor for both.
  const dRecurrentRows =
    dRecurrentValues === null
      ? tf.reshape(dProjected, [steps * batch, gateWidth])
      : tf.tensor2d(dRecurrentValues, [steps * batch, gateWidth]);
  const previousRows = tf.reshape(tf.stack(previousHiddens), [steps * batch, hiddenSize]);
  const grads = [dProjected, tf.matMul(tf.transpose(dRecurrentRows), previousRows)];
  return withBias ? [...grads, tf.sum(dRecurrentRows, 0)] : grads;
}

/** σ'(x) from s = σ(x): s (1 - s). */
export const sigmoidSlope = (s: tf.Tensor): tf.Tensor => tf.mul(s, tf.sub(1, s));
