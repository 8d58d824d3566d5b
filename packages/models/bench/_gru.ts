import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-wasm";
import { createModel } from "../src/models/registry.js";
import { flatten } from "../src/params.js";
import { registerGradients } from "./register-gradients.js";

await registerGradients();
await tf.setBackend("wasm");
const [kind, b, T] = [
  process.argv[2] ?? "gru",
  Number(process.argv[3] ?? 4),
  Number(process.argv[4] ?? 622),
];
const model = createModel(kind, process.argv[5] ? JSON.parse(process.argv[5]) : {});
const variables = flatten<tf.Variable>(model.params).map(([, v]) => v);
const x = tf.randomNormal([T, b, 2, 16, 33]);
const heap = () =>
  Math.round(
    ((tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length as number) /
      2 ** 20,
  );
const t0 = performance.now();
try {
  const { value, grads } = tf.variableGrads(
    () => tf.mean(model.forward(x, { training: true })) as tf.Scalar,
    variables,
  );
  tf.dispose([value, ...Object.values(grads)]);
  console.log(
    kind,
    b,
    T,
    "ok",
    ((performance.now() - t0) / 1000).toFixed(1),
    "s heap",
    heap(),
    "peakBytes",
    tf.memory().numBytes,
  );
} catch (e) {
  console.log("error", e, "heap", heap());
}
