import { defineConfig } from "tsup";

export default defineConfig({
  // The loader worker is its own file so that `new Worker(...)` can start it.
  entry: ["src/index.ts", "src/node.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  shims: true,
});
