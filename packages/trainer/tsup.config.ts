import { defineConfig } from "tsup";

export default defineConfig({
  // The loader and replica workers are their own files so that `new Worker(...)` can start it.
  entry: {
    index: "src/index.ts",
    node: "src/node.ts",
    "loader-worker": "src/data/loader-worker.ts",
    "replica-worker": "src/train/data-parallel/replica-worker.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  shims: true,
  // tfjs-core's gradient registrations import extension-less paths that Node's ESM loader
  // rejects; bundled, they register into tfjs's global registry like the original would.
  noExternal: [/register_all_gradients/],
});
