import * as tf from "@tensorflow/tfjs-core";

/**
 * Added to attention scores where a query must not look: large and finite
 * rather than -Infinity, so that no masked score can turn into NaN.
 */
const MASKED_SCORE = -1e9;

/**
 * The additive causal mask (T, T): 0 where query frame i may attend key frame
 * j (j <= i), MASKED_SCORE for future frames (j > i), so that an output frame
 * never depends on later inputs and the model can stream.
 */
export function causalAttentionMask(frames: number): tf.Tensor2D {
  const mask = new Float32Array(frames * frames);
  for (let query = 0; query < frames; query++) {
    mask.fill(MASKED_SCORE, query * frames + query + 1, (query + 1) * frames);
  }
  return tf.tensor2d(mask, [frames, frames]);
}
