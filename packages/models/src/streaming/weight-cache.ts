/**
 * Eval-mode layers for streaming, with every tensor derived from the weights (transposes,
 * rolled first layers, conv filters, BatchNorm scale and shift) made once and kept. The models'
 * own layers rebuild them on every call, which for a 40 ms chunk costs far more than the
 * arithmetic: on wasm a 768 x 768 transpose takes about 6 ms and a matMul against a fresh matrix
 * repacks it, while a matMul of 5 rows against a kept one takes 0.35 ms. A push of a few frames
 * is dominated by kernel dispatch, so biases and ReLUs are fused into their matMul or
 * convolution and LayerNorm runs on the host. The same arithmetic as `@emgkit/models` up to
 * float rounding: the tests hold the streams to `model.forward`.
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

/** Activations fused into a matMul or convolution. */
type Activation = "linear" | "relu";

export class WeightCache {
  private readonly derived = new Map<tf.Tensor, Map<string, tf.Tensor>>();
  private readonly hostValues = new Map<tf.Tensor, Float32Array>();

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

  /**
   * `linear` (x · Wᵀ + b over the last axis, then `activation`) with Wᵀ kept: one fused matMul
   * where the layer and its activation would take three kernels.
   */
  linear(
    params: { weight: tf.Tensor; bias: tf.Tensor },
    x: tf.Tensor,
    activation: Activation = "linear",
  ): tf.Tensor {
    const [outFeatures, inFeatures] = params.weight.shape as [number, number];
    const transposed = this.get(params.weight, "T", () => tf.transpose(params.weight));
    const y = tf.fused.matMul({
      a: tf.reshape(x, [-1, inFeatures]),
      b: transposed as tf.Tensor2D,
      bias: params.bias,
      activation,
    });
    return tf.reshape(y, [...x.shape.slice(0, -1), outFeatures]);
  }

  /** A 1x1 convolution (out, in, 1, 1) as the linear map it is, (T, N, in) -> (T, N, out). */
  pointwise(params: TemporalConvParams, x: tf.Tensor): tf.Tensor {
    const [outChannels, inChannels] = params.weight.shape as [number, number];
    const weight = this.get(params.weight, "pointwise", () =>
      tf.reshape(params.weight, [outChannels, inChannels]),
    );
    return this.linear({ weight, bias: params.bias }, x);
  }

  /**
   * `frontEnd` in eval mode over one batch item's frames given band by band, `bands[b]`
   * (T, C · F): BatchNorm with the running statistics, then each band's rotation-invariant MLP
   * (first layer rolled over offsets -1, 0, 1, mean-pooled). Taking the bands apart on the host
   * saves the transpose and slices that cutting them from one tensor costs on the device.
   * -> (T, 1, bands · features).
   */
  frontEnd(params: FrontParams, buffers: FrontBuffers, bands: tf.Tensor2D[]): tf.Tensor {
    const norm = params["0"].batch_norm;
    const running = buffers["0"].batch_norm;
    const channels = (norm.weight.shape[0] as number) / bands.length;
    const scale = this.get(norm.weight, "scale", () =>
      tf.mul(norm.weight, tf.rsqrt(tf.add(running.running_var, 1e-5))),
    );
    const shift = this.get(norm.bias, "shift", () =>
      tf.sub(norm.bias, tf.mul(running.running_mean, scale)),
    );
    const pooled = Object.values(params["1"].mlps).map((band, b) => {
      const x = bands[b] as tf.Tensor2D;
      const [rows, features] = x.shape;
      const bandScale = this.get(scale, `band ${b}`, () =>
        tf.reshape(tf.slice(scale, [b * channels], [channels]), [channels, 1]),
      );
      const bandShift = this.get(shift, `band ${b}`, () =>
        tf.reshape(tf.slice(shift, [b * channels], [channels]), [channels, 1]),
      );
      const normalised = tf.add(
        tf.mul(tf.reshape(x, [rows, channels, features / channels]), bandScale),
        bandShift,
      );
      let h = tf.reshape(normalised, [rows, features]);
      Object.values(band.mlp).forEach((layer, index) => {
        const params =
          index === 0 ? this.rolled(layer as LinearParams, channels) : (layer as LinearParams);
        h = this.linear(params, h, "relu");
        const width = h.shape[1] as number;
        if (index === 0) h = tf.reshape(h, [rows * SHIFTS.length, width / SHIFTS.length]);
      });
      return tf.mean(tf.reshape(h, [rows, SHIFTS.length, h.shape[1] as number]), 1);
    });
    const features = tf.concat(pooled, 1);
    return tf.reshape(features, [features.shape[0] as number, 1, features.shape[1] as number]);
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

  /**
   * `layerNorm` in eval mode, computed on the host: one read and one upload where the graph
   * takes about ten small kernels (moments, normalise, scale, shift), whose dispatch dominates a
   * streaming push. Meant for the CPU backends (wasm, cpu), where a read is a copy, not a sync.
   */
  layerNorm(params: { weight: tf.Tensor; bias: tf.Tensor }, x: tf.Tensor, eps = 1e-5): tf.Tensor {
    const weight = this.valuesOf(params.weight);
    const bias = this.valuesOf(params.bias);
    const features = weight.length;
    const values = x.dataSync() as Float32Array;
    const out = new Float32Array(values.length);
    for (let row = 0; row < values.length; row += features) {
      // Sum and sum of squares in one pass: float64 accumulators keep it exact enough.
      let sum = 0;
      let squares = 0;
      for (let i = row; i < row + features; i++) {
        const value = values[i] as number;
        sum += value;
        squares += value * value;
      }
      const mean = sum / features;
      const inverseDeviation = 1 / Math.sqrt(Math.max(0, squares / features - mean * mean) + eps);
      for (let i = 0; i < features; i++) {
        const normalised = ((values[row + i] as number) - mean) * inverseDeviation;
        out[row + i] = normalised * (weight[i] as number) + (bias[i] as number);
      }
    }
    return tf.tensor(out, x.shape, "float32");
  }

  /** A weight's values on the host, read once. */
  private valuesOf(weight: tf.Tensor): Float32Array {
    let values = this.hostValues.get(weight);
    if (values === undefined) {
      values = weight.dataSync() as Float32Array;
      this.hostValues.set(weight, values);
    }
    return values;
  }

  /**
   * `temporalConv`, then `activation`: valid convolution over time with `dilation`, (T, N, in, W)
   * -> (T - (K - 1) · d, N, out, W), its (K, 1, in, out) filter kept, bias and activation fused.
   */
  temporalConv(
    params: TemporalConvParams,
    x: tf.Tensor,
    dilation = 1,
    activation: Activation = "linear",
  ): tf.Tensor {
    const [frames, batch, channels, width] = x.shape as [number, number, number, number];
    const filter = this.get(
      params.weight,
      "filter",
      () => tf.transpose(params.weight, [3, 2, 1, 0]) as tf.Tensor4D,
    );
    const channelsLast = width === 1 ? x : tf.transpose(x, [0, 1, 3, 2]);
    const columns = tf.reshape(channelsLast, [1, frames, batch * width, channels]) as tf.Tensor4D;
    const convolved = tf.fused.conv2d({
      x: columns,
      filter: filter as tf.Tensor4D,
      strides: 1,
      pad: "valid",
      dataFormat: "NHWC",
      dilations: [dilation, 1],
      bias: params.bias,
      activation,
    });
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
    this.hostValues.clear();
  }
}

/** A model's front-end parameters and buffers (every model keeps them under `model`). */
export function frontEndParts(model: EmgModel): { front: FrontParams; buffers: FrontBuffers } {
  const params = model.params as unknown as { model: FrontParams };
  const buffers = model.buffers as unknown as { model: FrontBuffers };
  return { front: params.model, buffers: buffers.model };
}
