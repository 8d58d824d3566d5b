/**
 * The built viewer (`@emgkit/viewer`'s `dist/`): where it is, and copying it elsewhere
 * (`emgkit view --export`) so it can be hosted as static files anywhere.
 */
import { existsSync } from "node:fs";
import { copyFile, lstat, mkdir, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { CliError } from "../errors.js";

export const BUILD_HINT = "pnpm --filter @emgkit/viewer build";

/** The built viewer's folder; a one-line CliError when it is missing or not built. */
export function builtViewerDir(): string {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve("@emgkit/viewer/package.json"));
  } catch {
    throw new CliError(`@emgkit/viewer is not installed; install it, then build it: ${BUILD_HINT}`);
  }
  const dist = join(packageDir, "dist");
  if (!existsSync(join(dist, "index.html"))) {
    throw new CliError(
      `the viewer is not built (no ${join(dist, "index.html")}); run: ${BUILD_HINT}`,
    );
  }
  return dist;
}

/** What `copyStatic` copied. */
export interface CopyResult {
  files: number;
  bytes: number;
}

/**
 * Copies the files and folders of `from` into `to` (created when missing); existing files of
 * the same name are replaced. Symlinks are skipped: the copy holds only the build's own files.
 */
export async function copyStatic(from: string, to: string): Promise<CopyResult> {
  const result: CopyResult = { files: 0, bytes: 0 };
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) {
      const inner = await copyStatic(source, target);
      result.files += inner.files;
      result.bytes += inner.bytes;
    } else if (entry.isFile()) {
      await copyFile(source, target);
      result.files += 1;
      result.bytes += (await lstat(target)).size;
    }
  }
  return result;
}
