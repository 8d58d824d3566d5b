import * as tf from "@tensorflow/tfjs-core";

/**
 * PyTorch's default initialization, drawn from a seed so that a model is
 * reproducible: `nn.Linear` and `nn.Conv*` weights use kaiming_uniform with
 * a = sqrt(5), which is U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and their biases
 * the same bound; `nn.LSTM`/`nn.GRU` use U(-1/sqrt(hidden), 1/sqrt(hidden)).
 */
export function uniformVariable(
  shape: number[],
  bound: number,
  seed: number,
  name?: string,
): tf.Variable {
  return variableFrom(tf.randomUniform(shape, -bound, bound, "float32", seed), name);
}

/** A constant-filled trainable variable (LayerNorm/BatchNorm weight 1, bias 0). */
export function constantVariable(shape: number[], value: number, name?: string): tf.Variable {
  return variableFrom(tf.fill(shape, value, "float32"), name);
}

/**
 * Seeds for a model's tensors from one seed: each call returns the next.
 * tfjs seeds its random ops per call, so a counter keeps a model's draws
 * independent and reproducible.
 */
export function seedSequence(seed: number): () => number {
  let next = seed;
  return () => next++;
}

/** A trainable variable holding `initial`'s values; `initial` itself is released. */
function variableFrom(initial: tf.Tensor, name?: string): tf.Variable {
  const variable = tf.variable(initial, true, name);
  initial.dispose();
  return variable;
}
