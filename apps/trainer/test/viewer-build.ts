/**
 * The built viewer for the browser tests: `apps/viewer/dist`, rebuilt with the viewer's own
 * vite when it is missing or older than the viewer's sources or the packages it bundles.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** Where the viewer is and whether this call built it (and how long that took). */
export interface ViewerBuild {
  dist: string;
  built: boolean;
  ms: number;
}

const PNPM = ["-y", "pnpm@10.34.9", "--filter", "@emgkit/viewer", "build"];

/** The viewer's package folder, as `emgkit view` finds it. */
export function viewerPackageDir(): string {
  return dirname(createRequire(import.meta.url).resolve("@emgkit/viewer/package.json"));
}

/** Builds the viewer when `dist/index.html` is missing or older than what it is built from. */
export function ensureViewerBuilt(): ViewerBuild {
  const dir = viewerPackageDir();
  const dist = join(dir, "dist");
  const index = join(dist, "index.html");
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : Number.NEGATIVE_INFINITY;
  if (builtAt >= newestInput(dir)) return { dist, built: false, ms: 0 };
  const started = performance.now();
  const vite = join(dir, "node_modules", ".bin", "vite");
  try {
    if (existsSync(vite)) {
      execFileSync(vite, ["build", "--logLevel", "error"], { cwd: dir, stdio: "pipe" });
    } else {
      execFileSync("npx", PNPM, { cwd: dir, stdio: "pipe" });
    }
  } catch (error) {
    const output = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      `building the viewer failed (npx ${PNPM.join(" ")}):\n${String(output.stderr ?? "")}${String(output.stdout ?? "")}`,
    );
  }
  return { dist, built: true, ms: performance.now() - started };
}

/** The newest modification time of the viewer's sources and its @emgkit dependencies' builds. */
function newestInput(viewerDir: string): number {
  let newest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stats = statSync(path);
    if (stats.isDirectory()) {
      for (const name of readdirSync(path)) if (name !== "node_modules") visit(join(path, name));
    } else {
      newest = Math.max(newest, stats.mtimeMs);
    }
  };
  for (const name of ["src", "index.html", "vite.config.ts", "package.json", "public"]) {
    visit(join(viewerDir, name));
  }
  const manifest = JSON.parse(readFileSync(join(viewerDir, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  const require = createRequire(join(viewerDir, "package.json"));
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    if (!name.startsWith("@emgkit/")) continue;
    try {
      visit(join(dirname(require.resolve(`${name}/package.json`)), "dist"));
    } catch {
      // A dependency without an exported package.json is not checked.
    }
  }
  return newest;
}
