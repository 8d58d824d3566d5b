import type { MarkdownUrls } from "./markdown-inline.js";
import { isSafeUrl } from "./markdown-inline.js";
import { resolveServed, servedDir, servedName } from "./served-path.js";

/**
 * Link and image URLs of a report served at `reportPath`: relative images and links point
 * into the served folder (through `url`, e.g. `/files/<path>`); a link to one of `runPaths`
 * (its folder, or a file in it such as its `report.md`) carries `data-run-path` so the view
 * opens the run instead; other links open in a new tab; unsafe schemes are dropped.
 */
export function reportUrls(
  reportPath: string,
  url: (servedPath: string) => string,
  runPaths: ReadonlySet<string> = new Set(),
): MarkdownUrls {
  const base = servedDir(reportPath);
  return {
    image(src) {
      if (!isSafeUrl(src)) return null;
      const path = resolveServed(base, src);
      return path === null ? src : url(path);
    },
    link(href) {
      if (!isSafeUrl(href)) return null;
      if (href.startsWith("#")) return { href };
      const path = resolveServed(base, href);
      const external = { target: "_blank", rel: "noopener noreferrer" };
      if (path === null) return { href, attributes: external };
      const run = runPaths.has(path)
        ? path
        : servedName(path).includes(".") && runPaths.has(servedDir(path))
          ? servedDir(path)
          : undefined;
      if (run !== undefined) return { href: url(path), attributes: { "data-run-path": run } };
      return { href: url(path), attributes: external };
    },
  };
}
