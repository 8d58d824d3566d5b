/**
 * Peak tensor memory of one training forward+backward per model kind, with the
 * kernels that add the most bytes (tf.profile), at a small batch on wasm.
 *
 *     node --import tsx bench/profile-memory.ts [kind] [batch] [frames]
 *
 * COPY_IDENTITY=1 keeps wasm's copying clone, to compare.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-wasm";
import { registerWasmSharedIdentity } from "../src/gradients/wasm-shared-identity.js";
import { createModel, modelKinds } from "../src/models/registry.js";
import { flatten } from "../src/params.js";
import { registerGradients } from "./register-gradients.js";

await registerGradients();

const [kindArg, batchArg, framesArg] = process.argv.slice(2);
const batch = Number(batchArg ?? 4);
const frames = Number(framesArg ?? 622);
await tf.setBackend(process.env.BACKEND ?? "wasm");
if (process.env.COPY_IDENTITY === undefined) registerWasmSharedIdentity();
const heap = () =>
  (tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } }).wasm?.HEAPU8.length ?? 0;
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
for (const kind of kindArg ? [kindArg] : modelKinds) {
  const model = createModel(kind);
  const variables = flatten<tf.Variable>(model.params).map(([, v]) => v);
  const x = tf.randomNormal([frames, batch, 2, 16, 33], 0, 1, "float32", 1);
  const before = tf.memory().numBytes;
  const start = performance.now();
  const info = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(
      () => tf.mean(model.forward(x, { training: true })) as tf.Scalar,
      variables,
    );
    tf.dispose([value, ...Object.values(grads)]);
  });
  const seconds = (performance.now() - start) / 1000;
  const byName = new Map<string, { count: number; bytes: number; ms: number }>();
  for (const k of info.kernels) {
    const entry = byName.get(k.name) ?? { count: 0, bytes: 0, ms: 0 };
    entry.count++;
    entry.bytes += Math.max(0, k.bytesAdded);
    entry.ms += Number(k.kernelTimeMs) || 0;
    byName.set(k.name, entry);
  }
  const top = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12);
  console.log(
    `${kind} batch ${batch} x ${frames}: ${seconds.toFixed(1)} s, peak ${mb(info.peakBytes - before)} MB above start, ${info.kernels.length} kernels, rss ${mb(process.memoryUsage().rss)} MB, wasm heap ${mb(heap())} MB`,
  );
  for (const [name, e] of top)
    console.log(
      `  ${name.padEnd(22)} x${String(e.count).padStart(5)}  ${(e.ms / 1000).toFixed(2).padStart(7)} s  +${mb(e.bytes)} MB`,
    );
  x.dispose();
  model.dispose();
}
