import * as tf from "@tensorflow/tfjs-core";
import { type NamedTensors, namedEntries, shapeText } from "./named-tensors.js";

/** Hyper-parameters of `Adam` other than the learning rate (PyTorch's defaults). */
export interface AdamOptions {
  /** Decay rates of the first and second moment averages; default [0.9, 0.999]. */
  betas?: [number, number];
  /** Added to the bias-corrected root mean square; default 1e-8. */
  eps?: number;
  /** L2 penalty added to the gradient (not decoupled as in AdamW); default 0. */
  weightDecay?: number;
}

/** One parameter's optimiser state, as in PyTorch's `optimizer.state[p]`. */
export interface AdamParamState {
  /** Updates this parameter has had (PyTorch counts per parameter). */
  step: number;
  /** First moment average, flat row-major, parameter's size. */
  expAvg: Float32Array;
  /** Second moment average, flat row-major, parameter's size. */
  expAvgSq: Float32Array;
}

/**
 * Everything needed to resume `Adam` bit-exactly, as plain data (a trainer
 * writes it into a checkpoint). `params` is keyed by parameter name, in the
 * optimiser's parameter order.
 */
export interface AdamState {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  params: Record<string, AdamParamState>;
}

interface Slot {
  name: string;
  variable: tf.Variable;
  step: number;
  expAvg: tf.Variable;
  expAvgSq: tf.Variable;
}

/**
 * `torch.optim.Adam` (PyTorch 1.13, single-tensor path, amsgrad off) over named
 * tfjs variables, e.g. `new Adam(flatten(model.params))`. Each `apply` does, per
 * parameter p with gradient g, in float32:
 *
 *     g = g + weightDecay * p                       (if weightDecay != 0)
 *     m = beta1 * m + (1 - beta1) * g
 *     v = beta2 * v + (1 - beta2) * g * g
 *     denom = sqrt(v) / sqrt(1 - beta2^t) + eps
 *     p = p + (-lr / (1 - beta1^t)) * m / denom
 *
 * with t that parameter's step count, the scalar factors computed in float64
 * and rounded to float32 as PyTorch's kernels do. Moments live in tfjs
 * variables created up front (zeros, as PyTorch's lazily created state), so the
 * tensor count does not change across `apply`.
 */
export class Adam {
  readonly betas: [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  private readonly slots: Slot[];
  /** Parameter names and tfjs variable names to slots (gradients may use either). */
  private readonly byKey = new Map<string, Slot>();
  private disposed = false;

  constructor(params: Array<[string, tf.Variable]>, options: AdamOptions = {}) {
    const [beta1, beta2] = options.betas ?? [0.9, 0.999];
    this.betas = [beta1, beta2];
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    for (const [which, beta] of [
      ["beta1", beta1],
      ["beta2", beta2],
    ] as const)
      if (!(beta >= 0 && beta < 1))
        throw new Error(`Adam: ${which} must be in [0, 1), got ${beta}`);
    if (!(this.eps >= 0)) throw new Error(`Adam: eps must be >= 0, got ${this.eps}`);
    if (!(this.weightDecay >= 0))
      throw new Error(`Adam: weightDecay must be >= 0, got ${this.weightDecay}`);

    const names = new Set<string>();
    const variables = new Set<tf.Variable>();
    for (const [name, variable] of params) {
      if (names.has(name)) throw new Error(`Adam: parameter name "${name}" appears twice`);
      if (variables.has(variable))
        throw new Error(
          `Adam: parameter "${name}" is a variable already listed under another name`,
        );
      if (variable.dtype !== "float32")
        throw new Error(`Adam: parameter "${name}" is ${variable.dtype}, not float32`);
      names.add(name);
      variables.add(variable);
    }
    this.slots = params.map(([name, variable]) => ({
      name,
      variable,
      step: 0,
      expAvg: zerosVariable(variable.shape),
      expAvgSq: zerosVariable(variable.shape),
    }));
    for (const slot of this.slots) this.byKey.set(slot.name, slot);
    for (const slot of this.slots) {
      const other = this.byKey.get(slot.variable.name);
      if (other !== undefined && other !== slot) {
        this.dispose();
        throw new Error(
          `Adam: parameter "${other.name}" has the same name as the tfjs variable of "${slot.name}", so gradients keyed by either would be ambiguous`,
        );
      }
      this.byKey.set(slot.variable.name, slot);
    }
  }

  /** Parameter names in optimiser order. */
  get paramNames(): string[] {
    return this.slots.map((slot) => slot.name);
  }

  /**
   * One optimisation step: updates every parameter that has a gradient, in
   * place; parameters without one are skipped and keep their step count, as
   * PyTorch skips parameters whose `.grad` is None. Gradients are keyed by
   * parameter name or by tfjs variable name (what `tf.variableGrads` returns)
   * and are not disposed.
   *
   * @param grads gradient per parameter, each of its parameter's shape, float32
   * @param lr learning rate for this step (the schedule's value), >= 0
   */
  apply(grads: NamedTensors, lr: number): void {
    this.assertLive("apply");
    if (!(lr >= 0) || !Number.isFinite(lr))
      throw new Error(`Adam.apply: lr must be a finite number >= 0, got ${lr}`);
    const [beta1, beta2] = this.betas;
    for (const [slot, grad] of this.matchGrads(grads)) {
      slot.step += 1;
      const biasCorrection1 = 1 - beta1 ** slot.step;
      const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** slot.step);
      const stepSize = lr / biasCorrection1;
      tf.tidy(() => {
        const g =
          this.weightDecay === 0 ? grad : tf.add(grad, tf.mul(slot.variable, this.weightDecay));
        const m = tf.add(tf.mul(slot.expAvg, beta1), tf.mul(g, 1 - beta1));
        // addcmul_(g, g, value): (value * g) * g
        const v = tf.add(tf.mul(slot.expAvgSq, beta2), tf.mul(tf.mul(g, 1 - beta2), g));
        const denom = tf.add(tf.div(tf.sqrt(v), biasCorrection2Sqrt), this.eps);
        // addcdiv_(m, denom, value=-stepSize): p + (value * m) / denom
        const p = tf.add(slot.variable, tf.div(tf.mul(m, -stepSize), denom));
        slot.expAvg.assign(m);
        slot.expAvgSq.assign(v);
        slot.variable.assign(p);
      });
    }
  }

  /** A copy of the optimiser state as plain data (reads the moments back, synchronously). */
  state(): AdamState {
    this.assertLive("state");
    const params: Record<string, AdamParamState> = {};
    for (const slot of this.slots)
      params[slot.name] = {
        step: slot.step,
        // slice: backends may hand out their own buffer.
        expAvg: (slot.expAvg.dataSync() as Float32Array).slice(),
        expAvgSq: (slot.expAvgSq.dataSync() as Float32Array).slice(),
      };
    return { betas: [...this.betas], eps: this.eps, weightDecay: this.weightDecay, params };
  }

  /**
   * Restores a state from `state()` (the values are copied). Throws a one-line
   * error, leaving this optimiser unchanged, when the hyper-parameters differ
   * or a parameter is missing, extra or of another size.
   */
  load(state: AdamState): void {
    this.assertLive("load");
    const [beta1, beta2] = state.betas ?? [];
    for (const [what, saved, ours] of [
      ["beta1", beta1, this.betas[0]],
      ["beta2", beta2, this.betas[1]],
      ["eps", state.eps, this.eps],
      ["weightDecay", state.weightDecay, this.weightDecay],
    ] as const)
      if (saved !== ours)
        throw new Error(`Adam.load: state has ${what} ${saved}, this optimiser has ${ours}`);
    const saved = state.params ?? {};
    for (const name of Object.keys(saved))
      if (!this.slots.some((slot) => slot.name === name))
        throw new Error(`Adam.load: state has parameter "${name}", which this optimiser does not`);
    for (const slot of this.slots) {
      const entry = Object.hasOwn(saved, slot.name) ? saved[slot.name] : undefined;
      if (entry === undefined)
        throw new Error(`Adam.load: state has no entry for parameter "${slot.name}"`);
      if (!Number.isInteger(entry.step) || entry.step < 0)
        throw new Error(`Adam.load: parameter "${slot.name}" has step ${entry.step}`);
      for (const key of ["expAvg", "expAvgSq"] as const) {
        const length = entry[key]?.length;
        if (length !== slot.variable.size)
          throw new Error(
            `Adam.load: ${key} of parameter "${slot.name}" has ${length} values, the parameter ${shapeText(slot.variable.shape)} has ${slot.variable.size}`,
          );
      }
    }
    for (const slot of this.slots) {
      const entry = saved[slot.name] as AdamParamState;
      slot.step = entry.step;
      tf.tidy(() => {
        // Float32Array.from copies, so later edits of `state` cannot reach the optimiser.
        slot.expAvg.assign(tf.tensor(Float32Array.from(entry.expAvg), slot.variable.shape));
        slot.expAvgSq.assign(tf.tensor(Float32Array.from(entry.expAvgSq), slot.variable.shape));
      });
    }
  }

  /** Releases the moment tensors (not the parameters). The optimiser is unusable afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const slot of this.slots) {
      slot.expAvg.dispose();
      slot.expAvgSq.dispose();
    }
  }

  /** Gradients paired with their slots, in parameter order; throws on unknown or misshapen ones. */
  private matchGrads(grads: NamedTensors): Array<[Slot, tf.Tensor]> {
    const found = new Map<Slot, tf.Tensor>();
    for (const [key, grad] of namedEntries(grads)) {
      const slot = this.byKey.get(key);
      if (slot === undefined) throw new Error(`Adam.apply: gradient "${key}" matches no parameter`);
      if (found.has(slot))
        throw new Error(`Adam.apply: two gradients for parameter "${slot.name}"`);
      if (!tf.util.arraysEqual(grad.shape, slot.variable.shape))
        throw new Error(
          `Adam.apply: gradient for "${slot.name}" has shape ${shapeText(grad.shape)}, the parameter ${shapeText(slot.variable.shape)}`,
        );
      if (grad.dtype !== "float32")
        throw new Error(`Adam.apply: gradient for "${slot.name}" is ${grad.dtype}, not float32`);
      found.set(slot, grad);
    }
    return this.slots.flatMap((slot) => {
      const grad = found.get(slot);
      return grad === undefined ? [] : [[slot, grad] as [Slot, tf.Tensor]];
    });
  }

  private assertLive(what: string): void {
    if (this.disposed) throw new Error(`Adam.${what}: the optimiser has been disposed`);
  }
}

/** A non-trainable float32 variable of zeros (the zeros tensor itself is released). */
function zerosVariable(shape: number[]): tf.Variable {
  const zeros = tf.zeros(shape, "float32");
  const variable = tf.variable(zeros, false);
  zeros.dispose();
  return variable;
}
