import * as tf from "@tensorflow/tfjs-core";

/**
 * Sinusoidal position encodings (T, d) of "Attention Is All You Need", as
 * PyTorch's tutorial `PositionalEncoding` computes them:
 * PE[t, 2i] = sin(t / 10000^(2i/d)), PE[t, 2i+1] = cos(t / 10000^(2i/d)).
 */
export function sinusoidalPositions(frames: number, dModel: number): tf.Tensor2D {
  const table = new Float32Array(frames * dModel);
  for (let t = 0; t < frames; t++) {
    for (let i = 0; i < dModel; i += 2) {
      const angle = t * Math.exp((-i * Math.log(10000)) / dModel);
      table[t * dModel + i] = Math.sin(angle);
      if (i + 1 < dModel) table[t * dModel + i + 1] = Math.cos(angle);
    }
  }
  return tf.tensor2d(table, [frames, dModel]);
}
