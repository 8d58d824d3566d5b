import { ctcLoss } from "@emgkit/ctc";
import { charset } from "@emgkit/emg-io";
import { type EmgModel, flatten } from "@emgkit/models";
import * as tf from "@tensorflow/tfjs-core";
// Gradients of the built-in ops are registered by this import, not by tfjs-core itself.
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import type { Batch } from "../data/collate.js";

/** What one forward pass of a batch gives back, on the host. */
export interface StepOutput {
  /** Mean CTC loss of the batch (PyTorch's reduction "mean"). */
  loss: number;
  /** (T_out, N, classes) log-probabilities. */
  emissions: Float32Array;
  /** Emission frames of each example, (N,). */
  emissionLengths: Int32Array;
}

/** A training step's output plus the gradient of each parameter, by its dotted name. */
export interface GradientStep extends StepOutput {
  grads: Map<string, tf.Tensor>;
}

/**
 * Emission lengths as emg2qwerty's `_step` computes them: every example loses
 * as many frames as the padded batch does (T_in - T_out), which is exact for
 * models whose valid convolutions shorten every sequence alike.
 */
export function emissionLengths(batch: Batch, emittedFrames: number): Int32Array {
  const lost = batch.shape[0] - emittedFrames;
  return batch.inputLengths.map((length) => Math.max(length - lost, 0));
}

function lossOf(batch: Batch, emissions: tf.Tensor): tf.Scalar {
  const N = batch.shape[1];
  const S = N === 0 ? 0 : batch.targets.length / N;
  return ctcLoss(
    emissions,
    tf.tensor2d(batch.targets, [N, S], "int32"),
    emissionLengths(batch, emissions.shape[0] as number),
    batch.targetLengths,
    { blank: charset.nullClass, reduction: "mean" },
  ) as tf.Scalar;
}

/**
 * Forward in training mode, CTC loss and the gradient of every trainable
 * parameter (BatchNorm running statistics are updated, not differentiated).
 * The caller disposes `grads`.
 */
export function gradientStep(model: EmgModel, batch: Batch): GradientStep {
  const named = flatten<tf.Variable>(model.params);
  const pathOf = new Map(named.map(([path, variable]) => [variable.name, path]));
  let emissions: tf.Tensor | null = null;
  const { value, grads } = tf.variableGrads(
    () => {
      const inputs = tf.tensor(batch.inputs, batch.shape);
      emissions = tf.keep(model.forward(inputs, { training: true }));
      return lossOf(batch, emissions);
    },
    named.map(([, variable]) => variable),
  );
  const kept = emissions as unknown as tf.Tensor;
  const output: GradientStep = {
    loss: value.dataSync()[0] as number,
    emissions: kept.dataSync() as Float32Array,
    emissionLengths: emissionLengths(batch, kept.shape[0] as number),
    grads: new Map(Object.entries(grads).map(([name, grad]) => [pathOf.get(name) ?? name, grad])),
  };
  value.dispose();
  kept.dispose();
  return output;
}

/** Forward in eval mode and CTC loss, nothing kept on the device. */
export function evalStep(model: EmgModel, batch: Batch): StepOutput {
  return tf.tidy(() => {
    const emissions = model.forward(tf.tensor(batch.inputs, batch.shape), { training: false });
    const loss = lossOf(batch, emissions);
    return {
      loss: loss.dataSync()[0] as number,
      emissions: emissions.dataSync() as Float32Array,
      emissionLengths: emissionLengths(batch, emissions.shape[0] as number),
    };
  });
}
