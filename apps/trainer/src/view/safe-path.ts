/**
 * Maps a request path to a file inside a served folder, or refuses it. Used for every path
 * `emgkit view` serves: data files, listings and the viewer's own assets.
 *
 * Lexical rules first (403): each `/`-separated segment is percent-decoded once; `.` and `..`,
 * empty segments (`//`, a leading `/`: an absolute path), segments holding `/`, `\` or NUL
 * after decoding (`%2f`, `%5c`, `%00`), Windows drive letters (`C:`) and malformed
 * percent-encoding are refused. Then the file system (404): the path's realpath must be the
 * root's realpath or inside it, so a symlink out of the folder is "not found" while one to a
 * file inside works; a missing file is 404 too.
 */
import { realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";

/** Why a path was not served, as an HTTP status. */
export type Refusal = { ok: false; status: 403 | 404; reason: string };

/** A path that passed the rules, relative to the root, `/`-joined ("" is the root itself). */
export type CheckedPath = { ok: true; segments: string[]; relative: string };

/** A path inside the root that exists. */
export type ResolvedPath = CheckedPath & {
  /** The file's realpath (absolute, no symlinks left): open this one. */
  real: string;
  isDirectory: boolean;
  isFile: boolean;
  size: number;
};

const forbidden = (reason: string): Refusal => ({ ok: false, status: 403, reason });
const notFound = (reason: string): Refusal => ({ ok: false, status: 404, reason });

/** Checks one decoded segment; returns the reason it is refused, or null. */
export function segmentProblem(segment: string): string | null {
  if (segment === "") return "empty path segment";
  if (segment === "." || segment === "..") return "relative path segment";
  if (segment.includes("/") || segment.includes("\\")) return "separator inside a segment";
  if (segment.includes("\0")) return "NUL in path";
  if (/^[A-Za-z]:/.test(segment)) return "drive letter in path";
  return null;
}

function checkSegments(segments: string[]): CheckedPath | Refusal {
  for (const segment of segments) {
    const problem = segmentProblem(segment);
    if (problem !== null) return forbidden(problem);
  }
  return { ok: true, segments, relative: segments.join("/") };
}

/** Splits `a/b/c` ("" is the root; one trailing `/` is allowed: `a/b/` is `a/b`). */
function split(path: string): string[] {
  if (path === "") return [];
  const trimmed = path.endsWith("/") && path.length > 1 ? path.slice(0, -1) : path;
  return trimmed.split("/");
}

/**
 * Checks a path as it came in a URL (still percent-encoded), without the route's prefix:
 * `runs/my%20run/metrics.jsonl`. Each segment is decoded exactly once.
 */
export function checkEncodedPath(encoded: string): CheckedPath | Refusal {
  const segments: string[] = [];
  for (const raw of split(encoded)) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return forbidden("malformed percent-encoding");
    }
    segments.push(decoded);
  }
  return checkSegments(segments);
}

/** Checks a path that is already decoded (a query parameter's value): `runs/my run`. */
export function checkDecodedPath(decoded: string): CheckedPath | Refusal {
  return checkSegments(split(decoded));
}

/** True when `real` is `rootReal` or inside it (both realpaths). */
export function isInside(rootReal: string, real: string): boolean {
  if (real === rootReal) return true;
  const prefix = rootReal.endsWith(sep) ? rootReal : rootReal + sep;
  return real.startsWith(prefix);
}

/**
 * Resolves a checked path under `rootReal` (the root's realpath): 404 when it is missing or its
 * realpath leaves the root (a symlink out of the folder).
 */
export async function resolveChecked(
  rootReal: string,
  checked: CheckedPath,
): Promise<ResolvedPath | Refusal> {
  let real: string;
  try {
    real = await realpath(join(rootReal, ...checked.segments));
  } catch {
    return notFound("no such file");
  }
  if (!isInside(rootReal, real)) return notFound("no such file");
  try {
    const stats = await stat(real);
    return {
      ...checked,
      real,
      isDirectory: stats.isDirectory(),
      isFile: stats.isFile(),
      size: stats.size,
    };
  } catch {
    return notFound("no such file");
  }
}

/** `checkEncodedPath` then `resolveChecked`: a URL path to a file inside the root, or a refusal. */
export async function resolveRequestPath(
  rootReal: string,
  encoded: string,
): Promise<ResolvedPath | Refusal> {
  const checked = checkEncodedPath(encoded);
  return checked.ok ? resolveChecked(rootReal, checked) : checked;
}
