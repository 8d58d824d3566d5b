import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { registerWasmFastMatMul } from "../src/kernels/wasm-fast-matmul.js";
import { maxAbsDiff, projection, useBackend } from "./layers-testing.js";

/** A product of `a` and `b` (shapes, transposes) and what goes around it. */
interface Case {
  name: string;
  a: number[];
  b: number[];
  transposeA?: boolean;
  transposeB?: boolean;
  /** A fused product with this bias shape and activation. */
  bias?: number[];
  activation?: "relu";
}

const cases: Case[] = [
  { name: "2-D", a: [7, 5], b: [5, 3] },
  { name: "2-D, transposeA", a: [5, 7], b: [5, 3], transposeA: true },
  { name: "2-D, transposeB", a: [7, 5], b: [3, 5], transposeB: true },
  { name: "2-D, both transposed", a: [5, 7], b: [3, 5], transposeA: true, transposeB: true },
  { name: "batch against one matrix", a: [2, 3, 7, 5], b: [5, 4] },
  { name: "batch against a batch of one", a: [4, 7, 5], b: [1, 5, 4] },
  { name: "one matrix against a batch of one, higher rank", a: [7, 5], b: [1, 1, 5, 4] },
  {
    name: "batch against a batch (attention's Q · Kᵀ)",
    a: [6, 9, 4],
    b: [6, 9, 4],
    transposeB: true,
  },
  { name: "batch against a batch, transposeA", a: [3, 5, 7], b: [3, 5, 2], transposeA: true },
  { name: "broadcast batches (left to wasm)", a: [2, 1, 7, 5], b: [1, 3, 5, 4] },
  {
    name: "fused, bias and ReLU",
    a: [2, 7, 5],
    b: [4, 5],
    transposeB: true,
    bias: [4],
    activation: "relu",
  },
  { name: "fused per batch, bias", a: [3, 7, 5], b: [3, 5, 4], bias: [4] },
];

function product(c: Case): tf.Tensor {
  return tf.tidy(() => {
    const a = projection(c.a, 1);
    const b = projection(c.b, 2);
    if (c.bias === undefined) return tf.matMul(a, b, c.transposeA, c.transposeB);
    return tf.fused.matMul({
      a,
      b,
      transposeA: c.transposeA,
      transposeB: c.transposeB,
      bias: projection(c.bias, 3),
      activation: c.activation ?? "linear",
    });
  });
}

/** Gradients of a weighted sum of the product with respect to both operands. */
function productGradients(c: Case): tf.Tensor[] {
  return tf.tidy(() => {
    const weights = projection(product(c).shape, 4);
    const grad = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.matMul(a, b, c.transposeA, c.transposeB), weights)),
    );
    return grad([projection(c.a, 1), projection(c.b, 2)]);
  });
}

function valuesOf(tensors: tf.Tensor[]): Float32Array[] {
  const values = tensors.map((t) => t.dataSync() as Float32Array);
  tf.dispose(tensors);
  return values;
}

async function on<T>(backend: "cpu" | "wasm", run: () => T): Promise<T> {
  await useBackend(backend);
  return run();
}

/** What wasm's own kernels were asked, recorded by a spy registered under the wrapper. */
const seen: Array<{ a: number[]; b: number[]; transposed: boolean }> = [];

function spyOnWasmMatMul(): void {
  for (const name of [tf.BatchMatMul, tf._FusedMatMul]) {
    const kernel = tf.getKernel(name, "wasm") as tf.KernelConfig;
    tf.unregisterKernel(name, "wasm");
    tf.registerKernel({
      kernelName: name,
      backendName: "wasm",
      kernelFunc: (args) => {
        const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
        const { transposeA, transposeB } = args.attrs as {
          transposeA: boolean;
          transposeB: boolean;
        };
        seen.push({ a: a.shape, b: b.shape, transposed: transposeA || transposeB });
        return kernel.kernelFunc(args);
      },
    });
  }
}

/** Whether every product wasm's kernels ran is one its XNNPACK path takes. */
const allFast = () =>
  seen.every(({ a, b, transposed }) => {
    const batch = (shape: number[]) => shape.slice(0, -2).reduce((n, d) => n * d, 1);
    return !transposed && batch(a) === 1 && batch(b) === 1;
  });

describe("registerWasmFastMatMul", () => {
  beforeAll(async () => {
    await useBackend("wasm");
    spyOnWasmMatMul();
    registerWasmFastMatMul();
  });

  for (const c of cases) {
    it(`${c.name}: equals the cpu backend, frees its temporaries`, async () => {
      const expected = await on("cpu", () => {
        const out = product(c);
        return { shape: out.shape, values: out.dataSync() as Float32Array };
      });
      const result = await on("wasm", () => {
        seen.length = 0;
        const backend = tf.backend();
        const before = backend.numDataIds();
        const out = product(c);
        const values = out.dataSync() as Float32Array;
        const shape = out.shape;
        out.dispose();
        return { shape, values, leaked: backend.numDataIds() - before };
      });
      expect(result.shape).toEqual(expected.shape);
      expect(maxAbsDiff(result.values, expected.values)).toBeLessThan(1e-5);
      expect(result.leaked).toBe(0);
      expect(seen.length).toBeGreaterThan(0);
      expect(allFast()).toBe(!c.name.includes("left to wasm"));
    });
  }

  it("carries tfjs's matMul gradient (transposed products) to the same values", async () => {
    // tfjs's own gradient handles equal batches only (it does not sum over broadcast ones).
    const sameBatches = (c: Case) => c.a.slice(0, -2).join() === c.b.slice(0, -2).join();
    for (const c of cases.filter((c) => c.bias === undefined && sameBatches(c))) {
      const expected = await on("cpu", () => valuesOf(productGradients(c)));
      seen.length = 0;
      const result = await on("wasm", () => valuesOf(productGradients(c)));
      expect(allFast(), c.name).toBe(!c.name.includes("left to wasm"));
      result.forEach((values, i) => {
        expect(maxAbsDiff(values, expected[i] as Float32Array), c.name).toBeLessThan(1e-5);
      });
    }
  });

  it("is registered once: a second call keeps the same kernels", () => {
    const before = tf.getKernel(tf.BatchMatMul, "wasm")?.kernelFunc;
    registerWasmFastMatMul();
    expect(tf.getKernel(tf.BatchMatMul, "wasm")?.kernelFunc).toBe(before);
  });
});
