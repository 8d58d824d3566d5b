import * as tf from "@tensorflow/tfjs-core";

/**
 * tfjs-backend-wasm 4.22 runs `BatchMatMul` and `_FusedMatMul` through XNNPACK only for one 2-D
 * product without transposes; anything else (a transposed operand, a batch of products) falls
 * back to a naive loop. Measured on the 2-core development machine, 4096 x 768 by 768 x 768:
 * plain 29 GFLOP/s, `transposeB` 2.4, `transposeA` 0.6, a batch of 2: 2.2. tfjs's own matMul
 * gradient and the attention layer (Q · Kᵀ per head) take those slow paths.
 *
 * This wraps both kernels so that every call is made of fast ones: transposed operands are
 * transposed first (wasm's `Transpose` kernel), a batch of products against one shared matrix
 * becomes one product over all the rows, and a batch against a batch one product per item.
 * What the wrapper cannot rewrite (broadcast batches, batched bias or PReLU weights) goes to
 * wasm's kernel as before.
 */
export function registerWasmFastMatMul(): void {
  for (const name of [tf.BatchMatMul, tf._FusedMatMul]) {
    const registered = tf.getKernel(name, "wasm");
    if (registered === undefined || fastKernels.has(registered.kernelFunc)) continue;
    const fast = fastMatMul(registered.kernelFunc);
    fastKernels.add(fast);
    tf.unregisterKernel(name, "wasm");
    // The same config otherwise: its setupFunc binds the wasm function once the backend starts.
    tf.registerKernel({ ...registered, kernelFunc: fast });
  }
}

const fastKernels = new Set<tf.KernelFunc>();

type Attrs = { transposeA: boolean; transposeB: boolean } & tf.NamedAttrMap;

const size = (shape: number[]) => shape.reduce((n, d) => n * d, 1);

function fastMatMul(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as tf.KernelBackend;
    const attrs = args.attrs as Attrs;
    const { a, b, ...extra } = args.inputs as Record<string, tf.TensorInfo>;
    const call = (inputs: tf.NamedTensorInfoMap, transposeA: boolean, transposeB: boolean) =>
      original({ inputs, backend, attrs: { ...attrs, transposeA, transposeB } }) as tf.TensorInfo;
    const batchedExtra = Object.values(extra).some((t) => t !== undefined && t.shape.length > 1);
    if (a === undefined || b === undefined || batchedExtra) {
      return call(args.inputs, attrs.transposeA, attrs.transposeB);
    }
    const temporaries: tf.TensorInfo[] = [];
    const run = (name: string, inputs: object, kernelAttrs: object, kept = false) => {
      const kernel = tf.getKernel(name, "wasm") as tf.KernelConfig;
      const out = kernel.kernelFunc({
        inputs: inputs as tf.NamedTensorInfoMap,
        backend,
        attrs: kernelAttrs as tf.NamedAttrMap,
      }) as tf.TensorInfo;
      if (!kept) temporaries.push(out);
      return out;
    };
    /** The last two axes swapped, as a new tensor. */
    const transposed = (x: tf.TensorInfo): tf.TensorInfo => {
      const perm = x.shape.map((_, i) => i);
      [perm[perm.length - 2], perm[perm.length - 1]] = [perm.length - 1, perm.length - 2];
      return run(tf.Transpose, { x }, { perm });
    };
    /** Same buffer, another shape (both kernels read row-major data by dataId). */
    const view = (x: tf.TensorInfo, shape: number[]): tf.TensorInfo => ({ ...x, shape });

    const left = attrs.transposeA ? transposed(a) : a;
    const right = attrs.transposeB ? transposed(b) : b;
    const [m, k] = left.shape.slice(-2) as [number, number];
    const n = right.shape.at(-1) as number;
    const leftBatch = left.shape.slice(0, -2);
    const rightBatch = right.shape.slice(0, -2);
    const items = size(leftBatch);
    const outShape = [...tf.backend_util.assertAndGetBroadcastShape(leftBatch, rightBatch), m, n];
    let out: tf.TensorInfo;
    if (size(rightBatch) === 1) {
      // One shared matrix: every item's rows in one product.
      const product = call(
        { ...extra, a: view(left, [1, items * m, k]), b: view(right, [1, k, n]) },
        false,
        false,
      );
      out = view(product, outShape);
    } else if (leftBatch.join() === rightBatch.join()) {
      // A batch against a batch: one product per item, then stacked.
      const lefts = view(left, [items, m, k]);
      const rights = view(right, [items, k, n]);
      const products = Array.from({ length: items }, (_, item) => {
        const product = call(
          {
            ...extra,
            a: run(tf.Slice, { x: lefts }, { begin: [item, 0, 0], size: [1, m, k] }),
            b: run(tf.Slice, { x: rights }, { begin: [item, 0, 0], size: [1, k, n] }),
          },
          false,
          false,
        );
        temporaries.push(product);
        return product;
      });
      out = view(run(tf.Concat, products, { axis: 0 }, true), outShape);
    } else {
      out = call({ ...extra, a: left, b: right }, false, false);
    }
    for (const t of temporaries) backend.disposeData(t.dataId);
    return out;
  };
}
