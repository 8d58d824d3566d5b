/**
 * Paths inside the folder `emgkit view` serves: relative to its root, `/`-separated, no
 * leading slash ("" is the root).
 */

/** The folder of a served path (`a/b/report.md` -> `a/b`, `report.md` -> ""). */
export function servedDir(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

/** The last part of a served path (`a/b/run-1` -> `run-1`). */
export function servedName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** `dir` and `name` joined (`""` + `x` -> `x`). */
export function joinServed(dir: string, name: string): string {
  return dir === "" ? name : `${dir}/${name}`;
}

/**
 * The served path a link `href` in a file of folder `baseDir` points at, or null when it
 * leaves the served folder or is not a relative path (`https:`, `mailto:`, `//host`, `#x`).
 * A query or fragment is dropped; `.` and `..` parts are resolved; a trailing `/` is dropped.
 */
export function resolveServed(baseDir: string, href: string): string | null {
  if (href === "" || href.startsWith("#") || href.startsWith("//")) return null;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(href)) return null;
  const bare = href.replace(/[?#].*$/, "");
  const parts = href.startsWith("/") ? [] : baseDir.split("/").filter((p) => p !== "");
  for (const part of bare.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return null;
      parts.pop();
    } else {
      let decoded = part;
      try {
        decoded = decodeURIComponent(part);
      } catch {
        // A stray % stays as written.
      }
      parts.push(decoded);
    }
  }
  return parts.join("/");
}
