import * as tf from "@tensorflow/tfjs-core";
import { constantVariable } from "../init.js";

/** `nn.BatchNorm2d(channels)` affine parameters, named as in emg2qwerty's `SpectrogramNorm.batch_norm`. */
export type BatchNormParams = {
  /** (channels), initialised to 1 */
  weight: tf.Variable;
  /** (channels), initialised to 0 */
  bias: tf.Variable;
};

/**
 * BatchNorm running statistics as non-trainable variables, so a training
 * forward can update them in place (`assign`) even inside `tf.grad`/`tf.tidy`.
 */
export type BatchNormBuffers = {
  /** (channels), initialised to 0 */
  running_mean: tf.Variable;
  /** (channels), unbiased, initialised to 1 */
  running_var: tf.Variable;
  /** () int32, training forwards seen */
  num_batches_tracked: tf.Variable;
};

export interface BatchNormOptions {
  training: boolean;
  /** Weight of the new batch in the running statistics (PyTorch default 0.1). */
  momentum?: number;
  eps?: number;
}

export function createBatchNorm(channels: number): {
  params: BatchNormParams;
  buffers: BatchNormBuffers;
} {
  return {
    params: { weight: constantVariable([channels], 1), bias: constantVariable([channels], 0) },
    buffers: {
      running_mean: bufferFrom(tf.zeros([channels])),
      running_var: bufferFrom(tf.ones([channels])),
      num_batches_tracked: bufferFrom(tf.scalar(0, "int32")),
    },
  };
}

/**
 * emg2qwerty's `SpectrogramNorm`: `nn.BatchNorm2d` over the bands · channels
 * (32 for 2 x 16) electrode channels of (T, N, bands, C, freq) spectrograms, statistics
 * over (N, freq, T). Training normalises with the batch's biased variance
 * and moves the running variance toward the unbiased one, as PyTorch does;
 * eval uses the running statistics. The running-statistic updates feed no
 * output, so they add nothing to gradients.
 */
export function spectrogramNorm(
  params: BatchNormParams,
  buffers: BatchNormBuffers,
  x: tf.Tensor,
  { training, momentum = 0.1, eps = 1e-5 }: BatchNormOptions,
): tf.Tensor {
  const [frames, batch, bands, channels, freq] = x.shape as [
    number,
    number,
    number,
    number,
    number,
  ];
  return tf.tidy(() => {
    const perChannel = tf.reshape(x, [frames, batch, bands * channels, freq]);
    if (!training) {
      const scale = tf.mul(params.weight, tf.rsqrt(tf.add(buffers.running_var, eps)));
      const shift = tf.sub(params.bias, tf.mul(buffers.running_mean, scale));
      const normalised = tf.add(
        tf.mul(perChannel, tf.reshape(scale, [-1, 1])),
        tf.reshape(shift, [-1, 1]),
      );
      return tf.reshape(normalised, x.shape);
    }
    const { normalised, mean, variance } = batchNormalise(perChannel, params, eps);
    const count = frames * batch * freq;
    const unbiased = tf.mul(variance, count / Math.max(count - 1, 1));
    buffers.running_mean.assign(
      tf.add(tf.mul(buffers.running_mean, 1 - momentum), tf.mul(mean, momentum)),
    );
    buffers.running_var.assign(
      tf.add(tf.mul(buffers.running_var, 1 - momentum), tf.mul(unbiased, momentum)),
    );
    buffers.num_batches_tracked.assign(tf.add(buffers.num_batches_tracked, tf.scalar(1, "int32")));
    tf.dispose([mean, variance]); // kept out of the normalisation's own scope
    return tf.reshape(normalised, x.shape);
  });
}

/**
 * Training-mode normalisation of (T, N, C, F) over (T, N, F) per channel as one
 * tape entry, keeping x̂ and 1/σ only (tfjs' taped moments keep several
 * input-sized tensors). With x̂ = (x - μ) / σ and the means over (T, N, F):
 * dx = weight / σ · (dy - mean(dy) - x̂ · mean(dy · x̂)), dweight = Σ dy · x̂, dbias = Σ dy.
 * Also returns the batch mean and biased variance (C), for the running statistics.
 */
function batchNormalise(
  x: tf.Tensor,
  params: BatchNormParams,
  eps: number,
): { normalised: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  const axes = [0, 1, 3];
  const column = (t: tf.Tensor) => tf.reshape(t, [-1, 1]);
  let stats: tf.Tensor[] = [];
  const run = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, weight, bias, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const { mean, variance } = tf.moments(input, axes);
    const inverseDeviation = tf.rsqrt(tf.add(variance, eps));
    const xHat = tf.mul(tf.sub(input, column(mean)), column(inverseDeviation));
    stats = [tf.keep(mean), tf.keep(variance)];
    save([xHat, inverseDeviation, weight]);
    return {
      value: tf.add(tf.mul(xHat, column(weight)), column(bias)),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const g = dy as tf.Tensor;
          const [savedXHat, rstd, w] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
          const centred = tf.sub(g, tf.mean(g, axes, true));
          const dx = tf.mul(
            tf.sub(centred, tf.mul(savedXHat, tf.mean(tf.mul(g, savedXHat), axes, true))),
            column(tf.mul(w, rstd)),
          );
          return [dx, tf.sum(tf.mul(g, savedXHat), axes), tf.sum(g, axes)];
        }),
    };
  });
  const normalised = run(x, params.weight, params.bias);
  const [mean, variance] = stats as [tf.Tensor, tf.Tensor];
  return { normalised, mean, variance };
}

/** A non-trainable variable holding `initial`'s values; `initial` itself is released. */
function bufferFrom(initial: tf.Tensor): tf.Variable {
  const buffer = tf.variable(initial, false, undefined, initial.dtype);
  initial.dispose();
  return buffer;
}
