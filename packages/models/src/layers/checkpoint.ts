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
 * same values when run again: no side effects (BatchNorm running statistics
 * stay outside). Dropout draws the same masks both times:
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

/** One block of a `checkpointSequence`: its function and the variables it reads. */
export interface CheckpointBlock {
  run: (input: tf.Tensor) => tf.Tensor;
  params: tf.Tensor[];
}

/**
 * Blocks applied one after another, `x` -> blocks[0] -> ... -> blocks[n - 1],
 * as one tape entry that keeps each block's input; its gradient reruns the
 * blocks one at a time from the last, each under a tape of its own, and
 * releases each block's output gradient as soon as the block before has its
 * own. Where `checkpoint` per block leaves every block's output and input
 * gradients to tfjs (which keeps them until the whole backward pass ends),
 * this keeps one at a time: the peak is the blocks' inputs plus one block's
 * tape. Same conditions on each block's `run` as for `checkpoint`.
 */
export function checkpointSequence(blocks: readonly CheckpointBlock[], x: tf.Tensor): tf.Tensor {
  if (blocks.length === 0) return x;
  const seeds = blocks.map(() => Math.floor(Math.random() * 2 ** 32));
  const replay = (b: number, input: tf.Tensor) =>
    withRandomSeed(seeds[b] as number, () => (blocks[b] as CheckpointBlock).run(input));
  const params = blocks.flatMap((block) => block.params);
  const run = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const inputs: tf.Tensor[] = [args[0] as tf.Tensor];
    for (let b = 0; b < blocks.length - 1; b++) inputs.push(replay(b, inputs[b] as tf.Tensor));
    save(inputs);
    return {
      value: replay(blocks.length - 1, inputs[blocks.length - 1] as tf.Tensor),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const paramGrads: tf.Tensor[][] = new Array(blocks.length);
          let gradient = dy as tf.Tensor;
          for (let b = blocks.length - 1; b >= 0; b--) {
            const input = saved[b] as tf.Tensor;
            const sources = [input, ...(blocks[b] as CheckpointBlock).params];
            const grads = recomputedGradients(() => replay(b, input), sources, gradient);
            if (gradient !== dy) gradient.dispose();
            gradient = grads[0] ?? tf.zerosLike(input);
            paramGrads[b] = sources
              .slice(1)
              .map((source, i) => grads[i + 1] ?? tf.zerosLike(source));
          }
          return [gradient, ...paramGrads.flat()];
        }),
    };
  });
  return run(x, ...params);
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
