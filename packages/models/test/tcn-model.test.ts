import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { causalConv } from "../src/layers/tcn-causal-conv.js";
import type { TemporalConvParams } from "../src/layers/temporal-conv.js";
import {
  createTcn,
  defaultTcnConfig,
  type TcnConfig,
  tcnReceptiveField,
} from "../src/models/tcn.js";
import { flatten } from "../src/params.js";
import {
  backends,
  expectGradientsMatchFiniteDifferences,
  expectTrainsWithoutLeaks,
  maxAbsDiff,
  projection,
  useBackend,
} from "./layers-testing.js";

/** 3 frequency bins, 8 MLP features per band, blocks of 6, 6 and 4 channels (dilations 1, 2, 4). */
const tiny: TcnConfig = {
  ...defaultTcnConfig,
  inFeatures: 16 * 3,
  mlpFeatures: [8],
  blockChannels: [6, 6, 4],
  kernelSize: 3,
};
const tinyReceptiveField = 1 + 2 * 2 * (1 + 2 + 4);

/** Output frames (of T) whose values differ by more than float noise. */
function changedFrames(a: tf.Tensor, b: tf.Tensor): number[] {
  const [frames] = a.shape as [number];
  const perFrame = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b)), [1, 2]).dataSync());
  return Array.from({ length: frames }, (_, t) => t).filter((t) => (perFrame[t] as number) > 1e-5);
}

for (const backend of backends) {
  describe(`TCN on ${backend}`, () => {
    beforeAll(() => useBackend(backend));

    it("keeps T (causal padding), names parameters like its PyTorch module, counts the default", () => {
      const model = createTcn(tiny, 1);
      expect(model.outputLength(40)).toBe(40);
      expect(model.receptiveField).toBe(tinyReceptiveField);
      const x = tf.randomNormal([40, 2, 2, 16, 3], 0, 1, "float32", 2);
      const y = model.forward(x, { training: false });
      expect(y.shape).toEqual([40, 2, 99]);
      const probabilitySums = tf.tidy(() => tf.sum(tf.exp(y), -1).dataSync());
      expect(Math.max(...probabilitySums.map((p) => Math.abs(p - 1)))).toBeLessThan(1e-4);
      const names = flatten(model.params).map(([name, v]) => `${name} ${v.shape}`);
      expect(names.filter((name) => name.startsWith("model.3.blocks.0."))).toEqual([
        "model.3.blocks.0.conv1.weight 6,16,1,3",
        "model.3.blocks.0.conv1.bias 6",
        "model.3.blocks.0.norm1.weight 6",
        "model.3.blocks.0.norm1.bias 6",
        "model.3.blocks.0.conv2.weight 6,6,1,3",
        "model.3.blocks.0.conv2.bias 6",
        "model.3.blocks.0.norm2.weight 6",
        "model.3.blocks.0.norm2.bias 6",
        "model.3.blocks.0.downsample.weight 6,16,1,1",
        "model.3.blocks.0.downsample.bias 6",
      ]);
      expect(names.some((name) => name.startsWith("model.3.blocks.1.downsample"))).toBe(false);
      expect(names.at(-1)).toBe("model.4.bias 99");
      tf.dispose([x, y]);
      model.dispose();
      expect(tcnReceptiveField(defaultTcnConfig)).toBe(253);
    });

    it("is causal with exactly its receptive field: frame t changes outputs t .. t + R - 1 only", () => {
      const model = createTcn(tiny, 3);
      const frames = 50;
      const changed = 10;
      const x = tf.randomNormal([frames, 1, 2, 16, 3], 0, 1, "float32", 4);
      const bump = tf.buffer([frames, 1, 2, 16, 3]);
      for (let c = 0; c < 16; c++) bump.set(3, changed, 0, 0, c, 1);
      const xChanged = tf.add(x, bump.toTensor());
      const y = model.forward(x, { training: false });
      const yChanged = model.forward(xChanged, { training: false });
      const affected = changedFrames(y, yChanged);
      expect(affected[0]).toBe(changed);
      expect(affected.at(-1)).toBe(changed + tinyReceptiveField - 1);
      tf.dispose([x, xChanged, y, yChanged]);
      model.dispose();
    });

    it("dilated causal conv equals the direct sum over taps", () => {
      const [frames, batch, inChannels, outChannels, taps, dilation] = [7, 2, 3, 2, 3, 2];
      const params = {
        weight: tf.variable(
          tf.randomNormal([outChannels, inChannels, 1, taps], 0, 1, "float32", 5),
        ),
        bias: tf.variable(tf.randomNormal([outChannels], 0, 1, "float32", 6)),
      };
      const x = tf.randomNormal([frames, batch, inChannels], 0, 1, "float32", 7);
      const y = causalConv(params, x as tf.Tensor3D, dilation);
      const [w, b, xs] = [params.weight.dataSync(), params.bias.dataSync(), x.dataSync()];
      const expected = new Float32Array(frames * batch * outChannels);
      for (let t = 0; t < frames; t++)
        for (let n = 0; n < batch; n++)
          for (let o = 0; o < outChannels; o++) {
            let sum = b[o] as number;
            for (let k = 0; k < taps; k++) {
              const source = t - (taps - 1 - k) * dilation;
              if (source < 0) continue;
              for (let i = 0; i < inChannels; i++) {
                sum +=
                  (w[(o * inChannels + i) * taps + k] as number) *
                  (xs[(source * batch + n) * inChannels + i] as number);
              }
            }
            expected[(t * batch + n) * outChannels + o] = sum;
          }
      expect(y.shape).toEqual([frames, batch, outChannels]);
      expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(1e-5);
      tf.dispose([x, y, params.weight, params.bias]);
    });

    it("gradients match finite differences (dilated conv weights and model input)", () => {
      const weight = tf.randomNormal([2, 3, 1, 3], 0, 1, "float32", 8);
      const bias = tf.randomNormal([2], 0, 1, "float32", 9);
      const x = tf.randomNormal([9, 2, 3], 0, 1, "float32", 10);
      const mix = projection([9, 2, 2]);
      expectGradientsMatchFiniteDifferences(
        (xIn, w, b) =>
          tf.sum(
            tf.mul(
              causalConv({ weight: w, bias: b } as TemporalConvParams, xIn as tf.Tensor3D, 4),
              mix,
            ),
          ),
        [x, weight, bias],
      );
      const model = createTcn({ ...tiny, blockChannels: [4, 4] }, 11);
      const input = tf.randomNormal([12, 2, 2, 16, 3], 0, 1, "float32", 12);
      const outputMix = projection([12, 2, 99], 13);
      expectGradientsMatchFiniteDifferences(
        (inputs) =>
          tf.sum(tf.mul(model.forward(inputs, { training: false }), outputMix)) as tf.Scalar,
        [input],
        4,
      );
      tf.dispose([weight, bias, x, mix, input, outputMix]);
      model.dispose();
    });

    it("trains (dropout active, BatchNorm updating) without leaking tensors", () => {
      const model = createTcn({ ...tiny, dropout: 0.5 }, 14);
      expectTrainsWithoutLeaks(model, tf.randomNormal([20, 2, 2, 16, 3], 0, 1, "float32", 15));
    });
  });
}
