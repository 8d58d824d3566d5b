/**
 * Eval-mode layers for streaming, with every tensor derived from the weights (transposes,
 * rolled first layers, conv filters, BatchNorm scale and shift) made once and kept. The models'
 * own layers rebuild them on every call, which for a 40 ms chunk costs far more than the
 * arithmetic: on wasm a 768 x 768 transpose takes about 6 ms and a matMul against a fresh matrix
 * repacks it, while a matMul of 5 rows against a kept one takes 0.35 ms. Same operations in the
 * same order as `@emgkit/models`, so the numbers match (the tests hold them to `model.forward`).
 */
import * as tf from "@tensorflow/tfjs-core";
import type {
  FrontEndBuffers as FrontBuffers,
  FrontEndParams as FrontParams,
} from "../layers/front-end.js";
import type { LinearParams } from "../layers/linear.js";
import { roll } from "../layers/rotation-invariant-mlp.js";
import type { TemporalConvParams } from "../layers/temporal-conv.js";
import type { EmgModel } from "../model.js";

/** The rotation offsets and pooling every model's front end uses (its defaults). */
const SHIFTS = [-1, 0, 1];

export class WeightCache {
  private readonly derived = new Map<tf.Tensor, Map<string, tf.Tensor>>();

  /** `make()` for `source`, computed once and kept until `dispose`. */
  private get<T extends tf.Tensor>(source: tf.Tensor, key: string, make: () => T): T {
    let byKey = this.derived.get(source);
    if (byKey === undefined) {
      byKey = new Map();
      this.derived.set(source, byKey);
    }
    let value = byKey.get(key);
    if (value === undefined) {
      value = tf.keep(tf.tidy(make));
      byKey.set(key, value);
    }
    return value as T;
  }

  /** `linear` (x · Wᵀ + b over the last axis) with Wᵀ kept. */
  linear(params: { weight: tf.Tensor; bias: tf.Tensor }, x: tf.Tensor): tf.Tensor {
    const [outFeatures, inFeatures] = params.weight.shape as [number, number];
    const transposed = this.get(params.weight, "T", () => tf.transpose(params.weight));
    const rows = tf.reshape(x, [-1, inFeatures]);
    const y = tf.add(tf.matMul(rows, transposed), params.bias);
    return tf.reshape(y, [...x.shape.slice(0, -1), outFeatures]);
  }

  /** A 1x1 convolution (out, in, 1, 1) as the linear map it is, (T, N, in) -> (T, N, out). */
  pointwise(params: TemporalConvParams, x: tf.Tensor): tf.Tensor {
    const [outChannels, inChannels] = params.weight.shape as [number, number];
    const transposed = this.get(params.weight, "pointwiseT", () =>
      tf.transpose(tf.reshape(params.weight, [outChannels, inChannels])),
    );
    const rows = tf.reshape(x, [-1, inChannels]);
    const y = tf.add(tf.matMul(rows, transposed), params.bias);
    return tf.reshape(y, [...x.shape.slice(0, -1), outChannels]);
  }

  /**
   * `frontEnd` in eval mode: BatchNorm with the running statistics, then each band's
   * rotation-invariant MLP (first layer rolled over offsets -1, 0, 1, mean-pooled). Bands come
   * from one band-major transpose as contiguous slices and run one 2-D matMul per layer each:
   * the wasm backend runs batched (3-D) matMuls several times slower than 2-D ones.
   * (T, N, bands, C, F) -> (T, N, bands · features).
   */
  frontEnd(params: FrontParams, buffers: FrontBuffers, x: tf.Tensor): tf.Tensor {
    const [frames, batch, numBands, channels] = x.shape as [number, number, number, number];
    const norm = params["0"].batch_norm;
    const running = buffers["0"].batch_norm;
    const scale = this.get(norm.weight, "scale", () =>
      tf.reshape(tf.mul(norm.weight, tf.rsqrt(tf.add(running.running_var, 1e-5))), [-1, 1]),
    );
    const shift = this.get(norm.bias, "shift", () => {
      const s = tf.mul(norm.weight, tf.rsqrt(tf.add(running.running_var, 1e-5)));
      return tf.reshape(tf.sub(norm.bias, tf.mul(running.running_mean, s)), [-1, 1]);
    });
    const rows = frames * batch;
    const perChannel = tf.reshape(x, [rows, numBands * channels, -1]);
    const normalised = tf.reshape(tf.add(tf.mul(perChannel, scale), shift), [rows, numBands, -1]);
    const bandMajor = tf.transpose(normalised, [1, 0, 2]); // (bands, rows, C · F)
    const pooled = Object.values(params["1"].mlps).map((band, b) => {
      let h = tf.reshape(tf.slice(bandMajor, [b, 0, 0], [1, rows, -1]), [rows, -1]);
      Object.values(band.mlp).forEach((layer, index) => {
        const params =
          index === 0 ? this.rolled(layer as LinearParams, channels) : (layer as LinearParams);
        h = tf.relu(this.linear(params, h));
        if (index === 0) h = tf.reshape(h, [rows * SHIFTS.length, -1]);
      });
      return tf.mean(tf.reshape(h, [rows, SHIFTS.length, -1]), 1);
    });
    return tf.reshape(tf.stack(pooled, 1), [frames, batch, -1]);
  }

  /** The first MLP layer stacked over the rolls (as rotation-invariant-mlp.ts's rolledLayer), kept. */
  private rolled(layer: LinearParams, channels: number): { weight: tf.Tensor; bias: tf.Tensor } {
    const [outFeatures, inFeatures] = layer.weight.shape as [number, number];
    const weight = this.get(layer.weight, "rolled", () => {
      const electrodes = tf.reshape(layer.weight, [outFeatures, channels, inFeatures / channels]);
      return tf.reshape(
        tf.concat(
          SHIFTS.map((shift) => roll(electrodes, -shift, 1)),
          0,
        ),
        [SHIFTS.length * outFeatures, inFeatures],
      );
    });
    const bias = this.get(layer.bias, "tiled", () => tf.tile(layer.bias, [SHIFTS.length]));
    return { weight, bias };
  }

  /** `layerNorm` in eval mode: the same arithmetic without the custom-gradient scope. */
  layerNorm(params: { weight: tf.Tensor; bias: tf.Tensor }, x: tf.Tensor): tf.Tensor {
    const { mean, variance } = tf.moments(x, -1, true);
    const normalised = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5)));
    return tf.add(tf.mul(normalised, params.weight), params.bias);
  }

  /**
   * `temporalConv`: valid convolution over time with `dilation`, (T, N, in, W) ->
   * (T - (K - 1) · d, N, out, W), its (K, 1, in, out) filter kept.
   */
  temporalConv(params: TemporalConvParams, x: tf.Tensor, dilation = 1): tf.Tensor {
    const [frames, batch, channels, width] = x.shape as [number, number, number, number];
    const filter = this.get(
      params.weight,
      "filter",
      () => tf.transpose(params.weight, [3, 2, 1, 0]) as tf.Tensor4D,
    );
    const channelsLast = width === 1 ? x : tf.transpose(x, [0, 1, 3, 2]);
    const columns = tf.reshape(channelsLast, [1, frames, batch * width, channels]) as tf.Tensor4D;
    const convolved = tf.add(
      tf.conv2d(columns, filter as tf.Tensor4D, 1, "valid", "NHWC", [dilation, 1]),
      params.bias,
    );
    const [, outFrames, , outChannels] = convolved.shape as [number, number, number, number];
    const back = tf.reshape(convolved, [outFrames, batch, width, outChannels]);
    return width === 1
      ? tf.reshape(back, [outFrames, batch, outChannels, 1])
      : tf.transpose(back, [0, 1, 3, 2]);
  }

  dispose(): void {
    for (const byKey of this.derived.values())
      for (const tensor of byKey.values()) tensor.dispose();
    this.derived.clear();
  }
}

/** A model's front-end parameters and buffers (every model keeps them under `model`). */
export function frontEndParts(model: EmgModel): { front: FrontParams; buffers: FrontBuffers } {
  const params = model.params as unknown as { model: FrontParams };
  const buffers = model.buffers as unknown as { model: FrontBuffers };
  return { front: params.model, buffers: buffers.model };
}
