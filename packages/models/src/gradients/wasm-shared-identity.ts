import * as tf from "@tensorflow/tfjs-core";

/**
 * tfjs-core keeps every tensor a gradient needs by cloning it (`Identity`),
 * and tfjs-backend-wasm 4.22's `Identity` copies the data, where the cpu and
 * webgl backends share it (one more reference to the same buffer, as
 * `Reshape` does on every backend). During training on wasm that copy
 * doubles the memory of everything the tape keeps (the full-size TDS model's
 * forward+backward at batch 32 x 622 frames ran out of wasm's 4 GB heap) and
 * costs time. This replaces wasm's `Identity` by the sharing one. Tensors
 * are immutable and no wasm kernel writes into its inputs, so a clone that
 * shares its source's buffer behaves the same; refcounts free the buffer
 * when the last of them is disposed.
 */
export function registerWasmSharedIdentity(): void {
  const registered = tf.getKernel(tf.Identity, "wasm");
  if (registered === undefined || registered.kernelFunc === sharedIdentity) return;
  tf.unregisterKernel(tf.Identity, "wasm");
  tf.registerKernel({ kernelName: tf.Identity, backendName: "wasm", kernelFunc: sharedIdentity });
}

function sharedIdentity({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: unknown }) {
  const x = inputs.x as tf.TensorInfo;
  (backend as tf.KernelBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
