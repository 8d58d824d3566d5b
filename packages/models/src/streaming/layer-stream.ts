/**
 * Convolutional models streamed layer by layer: each temporal convolution keeps the last frames
 * of its own input, so a new frame costs about one frame of compute instead of a whole receptive
 * field. TDS (valid convolutions, emg2qwerty's model) and TCN (causal dilated convolutions) are
 * rebuilt here from their parameters with the same layers `@emgkit/models` uses; the tests hold
 * them to `model.forward`.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LayerNormParams } from "../layers/layer-norm.js";
import type { LinearParams } from "../layers/linear.js";
import type { TemporalConvParams } from "../layers/temporal-conv.js";
import type { EmgModel } from "../model.js";
import { frontEndParts, WeightCache } from "./weight-cache.js";

type TdsBlock =
  | { conv2d: TemporalConvParams; layer_norm: LayerNormParams }
  | { fc_block: { "0": LinearParams; "2": LinearParams }; layer_norm: LayerNormParams };

type TcnBlock = {
  conv1: TemporalConvParams;
  norm1: LayerNormParams;
  conv2: TemporalConvParams;
  norm2: LayerNormParams;
  downsample?: TemporalConvParams;
};

/**
 * The frames a convolution still needs from earlier calls: the last `size` frames of its input
 * (T, 1, features), kept across tidies. `initial` zeros model a causal left padding.
 */
class FrameCache {
  private frames: tf.Tensor | null = null;

  constructor(
    readonly size: number,
    private readonly zeroPadded: boolean,
  ) {}

  /** cache ++ x, and keeps its last `size` frames for the next call. Call inside a tidy. */
  extend(x: tf.Tensor): tf.Tensor {
    let previous = this.frames;
    if (previous === null && this.zeroPadded && this.size > 0) {
      previous = tf.zeros([this.size, ...x.shape.slice(1)]);
    }
    const all = previous === null ? x : tf.concat([previous, x], 0);
    const total = all.shape[0] as number;
    const keep = Math.min(this.size, total);
    const next = tf.keep(tf.slice(all, [total - keep], [keep]));
    this.frames?.dispose();
    this.frames = next;
    return all;
  }

  reset(): void {
    this.frames?.dispose();
    this.frames = null;
  }
}

/** A model streamed layer by layer: new frames, band by band (T, k · F) -> their new emissions. */
export interface LayerStream {
  step(bands: tf.Tensor2D[]): tf.Tensor2D;
  reset(): void;
  dispose(): void;
}

/** The model's parameter tree under `model` (front end, body "3", classifier "4"). */
function modelTree(model: EmgModel): Record<string, unknown> {
  return (model.params as unknown as { model: Record<string, unknown> }).model;
}

/**
 * emg2qwerty's TDS model streamed: front end and fully connected blocks frame by frame, each
 * conv block over its last K - 1 input frames plus the new ones. Emission j comes once input
 * frame j + receptiveField - 1 is in, as from `model.forward` over everything.
 */
class TdsStream implements LayerStream {
  private readonly blocks: TdsBlock[];
  private readonly caches: Map<number, FrameCache>;
  private readonly classifier: LinearParams;

  private readonly weights = new WeightCache();

  constructor(private readonly model: EmgModel) {
    const tree = modelTree(model);
    const body = tree["3"] as { tds_conv_blocks: Record<string, TdsBlock> };
    this.blocks = Object.keys(body.tds_conv_blocks)
      .sort((a, b) => Number(a) - Number(b))
      .map((key) => body.tds_conv_blocks[key] as TdsBlock);
    this.classifier = tree["4"] as LinearParams;
    this.caches = new Map();
    this.blocks.forEach((block, i) => {
      if ("conv2d" in block) {
        const kernel = block.conv2d.weight.shape[3] as number;
        this.caches.set(i, new FrameCache(kernel - 1, false));
      }
    });
  }

  step(bands: tf.Tensor2D[]): tf.Tensor2D {
    const { front, buffers } = frontEndParts(this.model);
    const w = this.weights;
    return tf.tidy(() => {
      let x: tf.Tensor = w.frontEnd(front, buffers, bands);
      for (const [i, block] of this.blocks.entries()) {
        if ((x.shape[0] as number) === 0 && !("conv2d" in block)) continue;
        if ("conv2d" in block) {
          const all = (this.caches.get(i) as FrameCache).extend(x);
          const kernel = block.conv2d.weight.shape[3] as number;
          if ((all.shape[0] as number) < kernel) {
            x = tf.slice(all, [0], [0]);
            continue;
          }
          x = tdsConvBlock(w, block, all);
        } else {
          const hidden = w.linear(block.fc_block["2"], w.linear(block.fc_block["0"], x, "relu"));
          x = w.layerNorm(block.layer_norm, tf.add(hidden, x));
        }
      }
      const frames = x.shape[0] as number;
      const classes = this.classifier.weight.shape[0] as number;
      if (frames === 0) return tf.zeros([0, classes]) as tf.Tensor2D;
      return tf.reshape(tf.logSoftmax(w.linear(this.classifier, x), -1), [
        frames,
        classes,
      ]) as tf.Tensor2D;
    });
  }

  reset(): void {
    for (const cache of this.caches.values()) cache.reset();
  }

  dispose(): void {
    this.reset();
    this.weights.dispose();
  }
}

/** As `tds.ts`'s conv block: temporal conv on the (channels, width) view, ReLU, residual, LayerNorm. */
function tdsConvBlock(
  w: WeightCache,
  block: { conv2d: TemporalConvParams; layer_norm: LayerNormParams },
  x: tf.Tensor,
): tf.Tensor {
  const [frames, batch, features] = x.shape as [number, number, number];
  const channels = block.conv2d.weight.shape[0] as number;
  const convolved = w.temporalConv(
    block.conv2d,
    tf.reshape(x, [frames, batch, channels, features / channels]),
    1,
    "relu",
  );
  const outFrames = convolved.shape[0] as number;
  const residual = tf.slice(x, [frames - outFrames, 0, 0], [outFrames, batch, features]);
  return w.layerNorm(
    block.layer_norm,
    tf.add(tf.reshape(convolved, [outFrames, batch, features]), residual),
  );
}

/**
 * The TCN streamed: each causal convolution over the last (K - 1) · dilation frames of its input
 * (zeros before the stream, as the model's left padding) plus the new ones: one emission per frame.
 */
class TcnStream implements LayerStream {
  private readonly blocks: TcnBlock[];
  private readonly caches: Array<{ conv1: FrameCache; conv2: FrameCache }>;
  private readonly classifier: LinearParams;

  private readonly weights = new WeightCache();

  constructor(private readonly model: EmgModel) {
    const tree = modelTree(model);
    const body = tree["3"] as { blocks: Record<string, TcnBlock> };
    this.blocks = Object.keys(body.blocks)
      .sort((a, b) => Number(a) - Number(b))
      .map((key) => body.blocks[key] as TcnBlock);
    this.classifier = tree["4"] as LinearParams;
    this.caches = this.blocks.map((block, i) => {
      const history = ((block.conv1.weight.shape[3] as number) - 1) * 2 ** i;
      return { conv1: new FrameCache(history, true), conv2: new FrameCache(history, true) };
    });
  }

  step(bands: tf.Tensor2D[]): tf.Tensor2D {
    const { front, buffers } = frontEndParts(this.model);
    const w = this.weights;
    return tf.tidy(() => {
      let x = w.frontEnd(front, buffers, bands) as tf.Tensor3D;
      const frames = x.shape[0];
      this.blocks.forEach((block, i) => {
        const caches = this.caches[i] as { conv1: FrameCache; conv2: FrameCache };
        const dilation = 2 ** i;
        let h = cachedCausalConv(w, block.conv1, caches.conv1.extend(x) as tf.Tensor3D, dilation);
        h = tf.relu(w.layerNorm(block.norm1, h)) as tf.Tensor3D;
        h = cachedCausalConv(w, block.conv2, caches.conv2.extend(h) as tf.Tensor3D, dilation);
        h = tf.relu(w.layerNorm(block.norm2, h)) as tf.Tensor3D;
        const residual = block.downsample === undefined ? x : w.pointwise(block.downsample, x);
        x = tf.relu(tf.add(h, residual)) as tf.Tensor3D;
      });
      const classes = this.classifier.weight.shape[0] as number;
      return tf.reshape(tf.logSoftmax(w.linear(this.classifier, x)), [
        frames,
        classes,
      ]) as tf.Tensor2D;
    });
  }

  reset(): void {
    for (const cache of this.caches) {
      cache.conv1.reset();
      cache.conv2.reset();
    }
  }

  dispose(): void {
    this.reset();
    this.weights.dispose();
  }
}

/** A valid dilated conv over (history ++ new) frames (T, N, in) -> the new frames' (T_new, N, out). */
function cachedCausalConv(
  w: WeightCache,
  params: TemporalConvParams,
  x: tf.Tensor3D,
  dilation: number,
): tf.Tensor3D {
  const [frames, batch] = x.shape;
  const [outChannels, , , kernelWidth] = params.weight.shape as [number, number, number, number];
  const out = w.temporalConv(params, tf.expandDims(x, 3), dilation);
  return tf.reshape(out, [
    frames - (kernelWidth - 1) * dilation,
    batch,
    outChannels,
  ]) as tf.Tensor3D;
}

/** The layer-by-layer stream of `model` when there is one (tds, tcn), else null. */
export function layerStream(model: EmgModel): LayerStream | null {
  if (model.kind === "tds") return new TdsStream(model);
  if (model.kind === "tcn") return new TcnStream(model);
  return null;
}
