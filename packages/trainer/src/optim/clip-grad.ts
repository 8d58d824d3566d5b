import * as tf from "@tensorflow/tfjs-core";
import { type NamedTensors, namedEntries, sameKind } from "./named-tensors.js";

/** What `clipGradNorm` returns. */
export interface ClippedGrads<T extends NamedTensors> {
  /** New tensors, same names and shapes as the input; the caller disposes them. */
  grads: T;
  /**
   * 2-norm of all gradients taken as one vector, before clipping (float32, as
   * PyTorch returns it). NaN or Infinity when a gradient is not finite: the
   * clipped gradients are then NaN (or zero), exactly as PyTorch leaves them,
   * so a trainer should check this and stop.
   */
  totalNorm: number;
}

/**
 * `torch.nn.utils.clip_grad_norm_(params, maxNorm)` (norm type 2): scales every
 * gradient by `min(1, maxNorm / (totalNorm + 1e-6))`.
 *
 * Unlike PyTorch it does not write in place: the inputs are left as they are
 * (the caller still owns and disposes them). Reads one scalar back (dataSync)
 * to report the norm.
 *
 * @param grads gradients by name, any shapes
 * @param maxNorm largest allowed total norm, > 0
 */
export function clipGradNorm<T extends NamedTensors>(grads: T, maxNorm: number): ClippedGrads<T> {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm))
    throw new Error(`clipGradNorm: maxNorm must be a positive finite number, got ${maxNorm}`);
  const entries = namedEntries(grads);
  if (entries.length === 0) return { grads: sameKind(grads, []), totalNorm: 0 };
  const [total, clipped] = tf.tidy(() => {
    // Per-tensor norms first, then the norm of those, as PyTorch stacks them.
    const norms = entries.map(([, g]) => tf.sqrt(tf.sum(tf.square(g))));
    const total = tf.sqrt(tf.sum(tf.square(tf.stack(norms))));
    // `max_norm / (total + 1e-6)` is Tensor.__rdiv__, i.e. reciprocal(...) * max_norm.
    const coef = tf.minimum(tf.mul(tf.reciprocal(tf.add(total, 1e-6)), maxNorm), 1);
    // Multiplying by a coefficient of exactly 1 leaves values unchanged, so no branch.
    return [total, entries.map(([, g]) => tf.mul(g, coef))] as const;
  });
  const totalNorm = total.dataSync()[0] as number;
  total.dispose();
  return {
    grads: sameKind(
      grads,
      entries.map(([name], i) => [name, clipped[i] as tf.Tensor]),
    ),
    totalNorm,
  };
}
