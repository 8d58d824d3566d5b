import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  // Bundling resolves tfjs-core's extension-less internal imports (register_all_gradients).
  noExternal: [],
});
