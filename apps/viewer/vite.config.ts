/**
 * Vite build of the viewer: static files in `dist/` that work under any path (`base: "./"`),
 * served by `emgkit view` or any static host.
 *
 * - tfjs-backend-wasm's `.wasm` files are copied to `dist/tfjs/` and served at `tfjs/` in dev
 *   (the predictions panel calls `setWasmPaths("./tfjs/")`).
 * - h5wasm (through @emgkit/emg-io) embeds its wasm in its ESM JavaScript, so it is bundled
 *   like any module (one large chunk, loaded when a session is opened).
 * - `EMGKIT_VIEW_DIR=<folder> vite` (or `vite preview`) serves that folder the way `emgkit view`
 *   does (`api/files?dir=` and `files/<path>`), for development without the CLI.
 */
import { createReadStream, readdirSync, readFileSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join, resolve, sep } from "node:path";
import { defineConfig, type Plugin } from "vite";

const require = createRequire(import.meta.url);
const TFJS_WASM_DIR = join(
  dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")),
  "dist",
);

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** Copies tfjs-backend-wasm's binaries to `dist/tfjs/` and serves them at `tfjs/` in dev. */
function tfjsWasm(): Plugin {
  const files = readdirSync(TFJS_WASM_DIR).filter((name) => name.endsWith(".wasm"));
  const serve: Middleware = (req, res, next) => {
    const match = /\/tfjs\/([\w.-]+\.wasm)(?:\?.*)?$/.exec(req.url ?? "");
    const name = match?.[1];
    if (name === undefined || !files.includes(name)) return next();
    res.setHeader("Content-Type", "application/wasm");
    createReadStream(join(TFJS_WASM_DIR, name)).pipe(res);
  };
  return {
    name: "emgkit-tfjs-wasm",
    configureServer(server) {
      server.middlewares.use(serve);
    },
    configurePreviewServer(server) {
      server.middlewares.use(serve);
    },
    generateBundle() {
      for (const name of files) {
        this.emitFile({
          type: "asset",
          fileName: `tfjs/${name}`,
          source: readFileSync(join(TFJS_WASM_DIR, name)),
        });
      }
    },
  };
}

/** A folder served like `emgkit view` serves it, for `vite` / `vite preview` (development only). */
function servedFolder(root: string | undefined): Plugin {
  const serve: Middleware = (req, res, next) => {
    if (root === undefined) return next();
    const url = new URL(req.url ?? "/", "http://localhost");
    const inside = (relative: string): string | null => {
      const path = resolve(root, relative);
      return path === resolve(root) || path.startsWith(resolve(root) + sep) ? path : null;
    };
    if (url.pathname.endsWith("/api/files")) {
      const dir = url.searchParams.get("dir") ?? "";
      const path = inside(dir);
      if (path === null) {
        res.statusCode = 400;
        return void res.end("bad dir");
      }
      const entries = readdirSync(path, { withFileTypes: true })
        .filter((entry) => !entry.name.startsWith("."))
        .map((entry) => {
          const relative = dir === "" ? entry.name : `${dir}/${entry.name}`;
          const isDir = entry.isDirectory();
          const kind = isDir ? "dir" : /\.(hdf5|h5)$/i.test(entry.name) ? "session" : "file";
          return {
            name: entry.name,
            path: relative,
            kind,
            size: isDir ? 0 : statSync(join(path, entry.name)).size,
          };
        })
        .sort(
          (a, b) =>
            Number(b.kind === "dir") - Number(a.kind === "dir") || (a.name < b.name ? -1 : 1),
        );
      res.setHeader("Content-Type", "application/json");
      return void res.end(JSON.stringify({ dir, entries }));
    }
    const file = /\/files\/(.+)$/.exec(url.pathname)?.[1];
    if (file !== undefined) {
      const path = inside(decodeURIComponent(file));
      if (path === null || !statSync(path, { throwIfNoEntry: false })?.isFile()) {
        res.statusCode = 404;
        return void res.end("not found");
      }
      res.setHeader("Content-Length", String(statSync(path).size));
      return void createReadStream(path).pipe(res);
    }
    next();
  };
  return {
    name: "emgkit-served-folder",
    configureServer(server) {
      server.middlewares.use(serve);
    },
    configurePreviewServer(server) {
      server.middlewares.use(serve);
    },
  };
}

export default defineConfig({
  base: "./",
  plugins: [tfjsWasm(), servedFolder(process.env.EMGKIT_VIEW_DIR)],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // h5wasm's module (HDF5 compiled to wasm, embedded) is about 4 MB on its own.
    chunkSizeWarningLimit: 6000,
  },
  worker: { format: "es" },
});
