import * as tf from "@tensorflow/tfjs-core";
import { flatten, type ParamTree } from "../params.js";

/**
 * Gradient checkpointing: `f(...inputs)` is one tape entry that keeps only
 * `inputs` for the backward pass, where `f` runs again under a tape of its
 * own to give the gradients of `inputs` and `params` (the variables `f`
 * reads). Why: tfjs keeps every tensor a gradient needs and every
 * intermediate gradient until the whole backward pass ends, about twice the
 * forward's activations, which at batch 32 x 622 frames is more than the
 * wasm backend's 4 GB heap; with blocks checkpointed, the peak is the
 * blocks' inputs plus one block's tape. The price is one more forward of `f`.
 *
 * Every tensor `f` reads but `params` must be in `inputs`: the backward pass
 * runs after the caller's tidy has released the rest. `f` must compute the
 * same values when run again: no side effects (BatchNorm
 * running statistics stay outside). Dropout draws the same masks both times:
 * tfjs seeds an unseeded random op from `Math.random`, which both runs of `f`
 * see replaced by one generator seeded once per call.
 */
export function checkpoint(
  f: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  params: tf.Tensor[],
): tf.Tensor {
  const count = inputs.length;
  const seed = Math.floor(Math.random() * 2 ** 32);
  const replay = (...given: tf.Tensor[]) => withRandomSeed(seed, () => f(...given));
  const run = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const given = args.slice(0, count) as tf.Tensor[];
    save(given);
    return {
      value: replay(...given),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const sources = [...saved, ...params];
          const grads = recomputedGradients(() => replay(...saved), sources, dy as tf.Tensor);
          return sources.map((source, i) => grads[i] ?? tf.zerosLike(source));
        }),
    };
  });
  return run(...inputs, ...params);
}

/**
 * `tf.engine().gradients` called from inside a gradient function. The engine
 * keeps one tape; a gradient computed during another's backward pass would
 * replace it and clear it when done, so the outer tape is put back after.
 */
function recomputedGradients(
  f: () => tf.Tensor,
  sources: tf.Tensor[],
  dy: tf.Tensor,
): Array<tf.Tensor | undefined> {
  const engine = tf.engine();
  const outerTape = engine.state.activeTape;
  try {
    const { value, grads } = engine.gradients(f, sources, dy, true);
    value.dispose();
    return grads;
  } finally {
    engine.state.activeTape = outerTape;
  }
}

/** Every tensor of a parameter tree, for `checkpoint`'s `params`. */
export function variablesOf(tree: object): tf.Tensor[] {
  return flatten<tf.Tensor>(tree as ParamTree).map(([, value]) => value);
}

/** Runs `f` with `Math.random` replaced by a generator seeded with `seed` (mulberry32). */
function withRandomSeed<T>(seed: number, f: () => T): T {
  const original = Math.random;
  let state = seed >>> 0;
  Math.random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  try {
    return f();
  } finally {
    Math.random = original;
  }
}
