import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { seedSequence } from "../src/init.js";
import { causalAttentionMask } from "../src/layers/attention-mask.js";
import {
  createSelfAttention,
  type SelfAttentionConfig,
  selfAttention,
} from "../src/layers/attention-self.js";
import {
  createTransformer,
  defaultTransformerConfig,
  type TransformerConfig,
} from "../src/models/transformer.js";
import { flatten } from "../src/params.js";
import {
  backends,
  expectGradientsMatchFiniteDifferences,
  expectTrainsWithoutLeaks,
  maxAbsDiff,
  projection,
  useBackend,
} from "./layers-testing.js";

/** 3 frequency bins, 8 MLP features per band, pairs of frames, 2 layers of width 8 with 2 heads. */
const tiny: TransformerConfig = {
  ...defaultTransformerConfig,
  inFeatures: 16 * 3,
  mlpFeatures: [8],
  frameStacking: 2,
  dModel: 8,
  heads: 2,
  layers: 2,
  feedForward: 12,
};

/** Tokens (of T') whose outputs differ by more than float noise. */
function changedTokens(a: tf.Tensor, b: tf.Tensor): number[] {
  const [tokens] = a.shape as [number];
  const perToken = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b)), [1, 2]).dataSync());
  return Array.from({ length: tokens }, (_, t) => t).filter((t) => (perToken[t] as number) > 1e-5);
}

/** Self-attention written out per sequence, head, query and key, for (T, N, d) as a flat array. */
function naiveSelfAttention(
  x: Float32Array,
  [frames, batch, dModel]: [number, number, number],
  heads: number,
  weights: { inW: Float32Array; inB: Float32Array; outW: Float32Array; outB: Float32Array },
  causal: boolean,
): Float32Array {
  const headSize = dModel / heads;
  const project = (t: number, n: number, row: number) => {
    let sum = weights.inB[row] as number;
    for (let i = 0; i < dModel; i++) {
      sum +=
        (weights.inW[row * dModel + i] as number) * (x[(t * batch + n) * dModel + i] as number);
    }
    return sum;
  };
  const context = new Float32Array(frames * batch * dModel);
  for (let n = 0; n < batch; n++)
    for (let h = 0; h < heads; h++)
      for (let q = 0; q < frames; q++) {
        const scores = Array.from({ length: frames }, (_, k): number => {
          if (causal && k > q) return Number.NEGATIVE_INFINITY;
          let dot = 0;
          for (let e = 0; e < headSize; e++) {
            const feature = h * headSize + e;
            dot += project(q, n, feature) * project(k, n, dModel + feature);
          }
          return dot / Math.sqrt(headSize);
        });
        const top = Math.max(...scores);
        const exps = scores.map((s) => Math.exp(s - top));
        const total = exps.reduce((a, b) => a + b, 0);
        for (let e = 0; e < headSize; e++) {
          const feature = h * headSize + e;
          context[(q * batch + n) * dModel + feature] = exps.reduce(
            (sum, p, k) => sum + (p / total) * project(k, n, 2 * dModel + feature),
            0,
          );
        }
      }
  const out = new Float32Array(frames * batch * dModel);
  for (let row = 0; row < frames * batch; row++)
    for (let o = 0; o < dModel; o++) {
      let sum = weights.outB[o] as number;
      for (let i = 0; i < dModel; i++) {
        sum += (weights.outW[o * dModel + i] as number) * (context[row * dModel + i] as number);
      }
      out[row * dModel + o] = sum;
    }
  return out;
}

for (const backend of backends) {
  describe(`transformer on ${backend}`, () => {
    beforeAll(() => useBackend(backend));

    it("stacks frames into tokens, names parameters like nn.TransformerEncoder", () => {
      const model = createTransformer(tiny, 1);
      expect(model.outputLength(21)).toBe(10);
      expect(model.receptiveField).toBe(Number.POSITIVE_INFINITY);
      const x = tf.randomNormal([21, 3, 2, 16, 3], 0, 1, "float32", 2);
      const y = model.forward(x, { training: false });
      expect(y.shape).toEqual([10, 3, 99]);
      const probabilitySums = tf.tidy(() => tf.sum(tf.exp(y), -1).dataSync());
      expect(Math.max(...probabilitySums.map((p) => Math.abs(p - 1)))).toBeLessThan(1e-4);
      const names = flatten(model.params)
        .map(([name, v]) => `${name} ${v.shape}`)
        .filter((name) => name.startsWith("model.3.") && !name.includes("layers.1."));
      expect(names).toEqual([
        "model.3.input_projection.weight 8,32",
        "model.3.input_projection.bias 8",
        "model.3.encoder.layers.0.self_attn.in_proj_weight 24,8",
        "model.3.encoder.layers.0.self_attn.in_proj_bias 24",
        "model.3.encoder.layers.0.self_attn.out_proj.weight 8,8",
        "model.3.encoder.layers.0.self_attn.out_proj.bias 8",
        "model.3.encoder.layers.0.linear1.weight 12,8",
        "model.3.encoder.layers.0.linear1.bias 12",
        "model.3.encoder.layers.0.linear2.weight 8,12",
        "model.3.encoder.layers.0.linear2.bias 8",
        "model.3.encoder.layers.0.norm1.weight 8",
        "model.3.encoder.layers.0.norm1.bias 8",
        "model.3.encoder.layers.0.norm2.weight 8",
        "model.3.encoder.layers.0.norm2.bias 8",
        "model.3.encoder.norm.weight 8",
        "model.3.encoder.norm.bias 8",
      ]);
      tf.dispose([x, y]);
      model.dispose();
    });

    it("self-attention equals attention written out per head (bidirectional and causal)", () => {
      const config: SelfAttentionConfig = { dModel: 4, heads: 2, dropout: 0 };
      const params = createSelfAttention(4, seedSequence(3));
      // Non-zero biases, so that their layout is checked too.
      params.in_proj_bias.assign(tf.randomNormal([12], 0, 1, "float32", 4));
      params.out_proj.bias.assign(tf.randomNormal([4], 0, 1, "float32", 5));
      const weights = {
        inW: params.in_proj_weight.dataSync() as Float32Array,
        inB: params.in_proj_bias.dataSync() as Float32Array,
        outW: params.out_proj.weight.dataSync() as Float32Array,
        outB: params.out_proj.bias.dataSync() as Float32Array,
      };
      const x = tf.randomNormal([5, 2, 4], 0, 1, "float32", 6) as tf.Tensor3D;
      for (const causal of [false, true]) {
        const mask = causal ? causalAttentionMask(5) : null;
        const y = selfAttention(params, config, x, mask, false);
        const expected = naiveSelfAttention(
          x.dataSync() as Float32Array,
          [5, 2, 4],
          2,
          weights,
          causal,
        );
        expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(1e-5);
        tf.dispose([y, ...(mask === null ? [] : [mask])]);
      }
      tf.dispose([x, ...flatten(params).map(([, v]) => v)]);
    });

    it("causal: a changed frame changes its token and later ones only; bidirectional: all", () => {
      const x = tf.randomNormal([20, 1, 2, 16, 3], 0, 1, "float32", 7);
      const bump = tf.buffer([20, 1, 2, 16, 3]);
      for (let c = 0; c < 16; c++) bump.set(3, 13, 0, 1, c, 2);
      const xChanged = tf.add(x, bump.toTensor());
      for (const causal of [true, false]) {
        const model = createTransformer({ ...tiny, causal }, 8);
        const y = model.forward(x, { training: false });
        const yChanged = model.forward(xChanged, { training: false });
        const range = (from: number) => Array.from({ length: 10 - from }, (_, i) => from + i);
        expect(changedTokens(y, yChanged)).toEqual(causal ? range(6) : range(0));
        tf.dispose([y, yChanged]);
        model.dispose();
      }
      tf.dispose([x, xChanged]);
    });

    it("learned positions: a (maxTokens, d) table, sliced; longer inputs are refused", () => {
      const model = createTransformer({ ...tiny, positions: { kind: "learned", maxTokens: 6 } }, 9);
      const table = flatten(model.params).find(([name]) => name === "model.3.position_embedding");
      expect(table?.[1].shape).toEqual([6, 8]);
      const fits = tf.randomNormal([12, 1, 2, 16, 3], 0, 1, "float32", 10);
      const tooLong = tf.randomNormal([14, 1, 2, 16, 3], 0, 1, "float32", 11);
      const y = model.forward(fits, { training: false });
      expect(y.shape).toEqual([6, 1, 99]);
      expect(() => model.forward(tooLong, { training: false })).toThrow(/7 tokens.*cover 6/);
      tf.dispose([fits, tooLong, y]);
      model.dispose();
    });

    it("gradients match finite differences (causal, learned positions)", () => {
      const model = createTransformer(
        { ...tiny, causal: true, positions: { kind: "learned", maxTokens: 8 } },
        12,
      );
      const input = tf.randomNormal([8, 2, 2, 16, 3], 0, 1, "float32", 13);
      const outputMix = projection([4, 2, 99], 14);
      expectGradientsMatchFiniteDifferences(
        (inputs) =>
          tf.sum(tf.mul(model.forward(inputs, { training: false }), outputMix)) as tf.Scalar,
        [input],
        4,
      );
      tf.dispose([input, outputMix]);
      model.dispose();
    });

    it("trains (dropout active) without leaking tensors, every parameter gets a gradient", () => {
      const model = createTransformer(
        { ...tiny, dropout: 0.3, causal: true, positions: { kind: "learned", maxTokens: 8 } },
        15,
      );
      expectTrainsWithoutLeaks(model, tf.randomNormal([16, 2, 2, 16, 3], 0, 1, "float32", 16));
    });
  });
}
