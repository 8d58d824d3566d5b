import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { clipGradNorm } from "../src/optim/clip-grad.js";

type GoldenTensors = Record<string, { shape: number[]; values: number[] }>;
interface ClipCase {
  name: string;
  maxNorm: number;
  grads: GoldenTensors;
  totalNorm: number;
  clipped: GoldenTensors;
}
const golden = JSON.parse(
  readFileSync(new URL("./golden/optim-clip.json", import.meta.url), "utf8"),
) as { torch: string; cases: ClipCase[] };

const toTensors = (tensors: GoldenTensors): Record<string, tf.Tensor> =>
  Object.fromEntries(
    Object.entries(tensors).map(([name, t]) => [name, tf.tensor(t.values, t.shape, "float32")]),
  );

const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-30);

for (const backend of ["cpu", "wasm"] as const) {
  describe(`clipGradNorm on ${backend}`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
      await tf.ready();
    });

    for (const c of golden.cases) {
      it(`${c.name}: equals torch ${golden.torch} clip_grad_norm_ (max ${c.maxNorm})`, () => {
        const grads = toTensors(c.grads);
        const before = tf.memory().numTensors;
        const { grads: clipped, totalNorm } = clipGradNorm(grads, c.maxNorm);
        // Only the clipped gradients are new.
        expect(tf.memory().numTensors).toBe(before + Object.keys(grads).length);
        if (c.totalNorm === 0) expect(totalNorm).toBe(0);
        else expect(relErr(totalNorm, c.totalNorm)).toBeLessThan(1e-6);
        expect(Object.keys(clipped)).toEqual(Object.keys(c.clipped));
        for (const [name, expected] of Object.entries(c.clipped)) {
          const got = clipped[name] as tf.Tensor;
          expect(got.shape).toEqual(expected.shape);
          const actual = got.dataSync();
          expected.values.forEach((b, i) => {
            expect(Math.abs((actual[i] as number) - b), `${name}[${i}]`).toBeLessThanOrEqual(
              1e-6 * Math.abs(b) + 1e-12,
            );
          });
        }
        // The inputs are untouched (PyTorch clips in place; here the caller keeps its tensors).
        for (const [name, g] of Object.entries(grads))
          expect([...g.dataSync()]).toEqual(
            [...new Float32Array(c.grads[name]?.values ?? [])].map(Number),
          );
        tf.dispose([...Object.values(grads), ...Object.values(clipped)]);
      });
    }
  });
}

describe("clipGradNorm edge cases", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
    await tf.ready();
  });

  it("hand-checked: norms 3-4-5 over two tensors, clipped to 1", () => {
    const grads = new Map([
      ["a", tf.tensor([3, 0])],
      ["b", tf.tensor([[0], [4]])],
    ]);
    const { grads: clipped, totalNorm } = clipGradNorm(grads, 1);
    expect(totalNorm).toBe(5);
    expect(clipped).toBeInstanceOf(Map);
    const coef = Math.fround(1 / Math.fround(5 + Math.fround(1e-6)));
    expect([...(clipped.get("a")?.dataSync() ?? [])]).toEqual([Math.fround(3 * coef), 0]);
    expect(clipped.get("b")?.shape).toEqual([2, 1]);
    tf.dispose([...grads.values(), ...clipped.values()]);
  });

  it("reports a non-finite norm (NaN or Infinity) so the trainer can stop", () => {
    const nan = { a: tf.tensor([1, Number.NaN]), b: tf.tensor([2]) };
    const r1 = clipGradNorm(nan, 1);
    expect(Number.isNaN(r1.totalNorm)).toBe(true);
    expect(Number.isNaN(r1.grads.b?.dataSync()[0])).toBe(true); // as PyTorch: NaN coefficient
    const inf = { a: tf.tensor([1, Number.POSITIVE_INFINITY]) };
    const r2 = clipGradNorm(inf, 1);
    expect(r2.totalNorm).toBe(Number.POSITIVE_INFINITY);
    tf.dispose([
      ...Object.values(nan),
      ...Object.values(r1.grads),
      inf.a,
      ...Object.values(r2.grads),
    ]);
  });

  it("no gradients: norm 0; bad maxNorm: one-line error", () => {
    expect(clipGradNorm({}, 1)).toEqual({ grads: {}, totalNorm: 0 });
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => clipGradNorm({}, bad)).toThrow(/^clipGradNorm: maxNorm must be a positive/);
  });
});
