import { escapeHtml } from "./html-escape.js";

/** Where a Markdown link or image goes; null renders its text (or alt text) only. */
export interface MarkdownUrls {
  /** The `src` of an image written `![alt](src)`. */
  image(src: string): string | null;
  /** The `href` of a link written `[text](href)`, with extra attributes (`data-*`...). */
  link(href: string): { href: string; attributes?: Readonly<Record<string, string>> } | null;
}

/** Links and images as written, when their URL is relative, `http(s):` or `mailto:`. */
export const plainUrls: MarkdownUrls = {
  image: (src) => (isSafeUrl(src) ? src : null),
  link: (href) => (isSafeUrl(href) ? { href } : null),
};

/** A URL that cannot run script: relative, or with an `http`, `https` or `mailto` scheme. */
export function isSafeUrl(url: string): boolean {
  const scheme = /^\s*([A-Za-z][A-Za-z0-9+.-]*):/.exec(url);
  return scheme === null || ["http", "https", "mailto"].includes(scheme[1]?.toLowerCase() ?? "");
}

const PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/**
 * One line (or paragraph) of inline Markdown as HTML: backslash escapes, code spans,
 * `**strong**`, `*em*` / `_em_`, links, images and `<https://...>` autolinks. Everything
 * else is text, HTML-escaped (raw HTML is shown, not interpreted).
 */
export function renderInline(text: string, urls: MarkdownUrls, inLink = false): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === "\\" && next !== undefined && PUNCTUATION.includes(next)) {
      out += escapeHtml(next);
      i += 2;
      continue;
    }
    if (c === "\\" && next === "\n") {
      out += "<br>\n";
      i += 2;
      continue;
    }
    if (c === "`") {
      const span = codeSpan(text, i);
      if (span !== null) {
        out += `<code>${escapeHtml(span.code)}</code>`;
        i = span.end;
        continue;
      }
      const run = /^`+/.exec(text.slice(i))?.[0] ?? "`";
      out += run;
      i += run.length;
      continue;
    }
    if (c === "!" && next === "[") {
      const link = linkAt(text, i + 1);
      if (link !== null) {
        const src = urls.image(link.url);
        const alt = escapeHtml(plainText(link.label));
        const title = link.title === undefined ? "" : ` title="${escapeHtml(link.title)}"`;
        out += src === null ? alt : `<img src="${escapeHtml(src)}" alt="${alt}"${title}>`;
        i = link.end;
        continue;
      }
    }
    if (c === "[" && !inLink) {
      const link = linkAt(text, i);
      if (link !== null) {
        const label = renderInline(link.label, urls, true);
        const target = urls.link(link.url);
        if (target === null) {
          out += label;
        } else {
          const attributes = Object.entries(target.attributes ?? {})
            .map(([k, v]) => ` ${k}="${escapeHtml(v)}"`)
            .join("");
          const title = link.title === undefined ? "" : ` title="${escapeHtml(link.title)}"`;
          out += `<a href="${escapeHtml(target.href)}"${title}${attributes}>${label}</a>`;
        }
        i = link.end;
        continue;
      }
    }
    if (c === "<" && !inLink) {
      const auto = /^<(https?:\/\/[^\s<>]+)>/.exec(text.slice(i));
      if (auto?.[1] !== undefined) {
        const target = urls.link(auto[1]);
        out +=
          target === null
            ? escapeHtml(auto[1])
            : `<a href="${escapeHtml(target.href)}">${escapeHtml(auto[1])}</a>`;
        i += auto[0].length;
        continue;
      }
    }
    if (c === "*" || c === "_") {
      const emphasis = emphasisAt(text, i);
      if (emphasis !== null) {
        const tag = emphasis.strong ? "strong" : "em";
        out += `<${tag}>${renderInline(emphasis.inner, urls, inLink)}</${tag}>`;
        i = emphasis.end;
        continue;
      }
    }
    if (c === " " && next === " " && /^ {2,}\n/.test(text.slice(i))) {
      const spaces = /^ +\n/.exec(text.slice(i))?.[0] ?? "  \n";
      out += "<br>\n";
      i += spaces.length;
      continue;
    }
    out += escapeHtml(c);
    i += 1;
  }
  return out;
}

/** A code span opening at `start` (a run of n backticks closed by another run of exactly n). */
function codeSpan(text: string, start: number): { code: string; end: number } | null {
  const open = /^`+/.exec(text.slice(start))?.[0] ?? "";
  let j = start + open.length;
  while (j < text.length) {
    const k = text.indexOf(open, j);
    if (k < 0) return null;
    const run = /^`+/.exec(text.slice(k))?.[0] ?? "";
    if (run.length === open.length) {
      let code = text.slice(start + open.length, k).replace(/\n/g, " ");
      if (code.length > 2 && code.startsWith(" ") && code.endsWith(" ") && code.trim() !== "") {
        code = code.slice(1, -1);
      }
      return { code, end: k + run.length };
    }
    j = k + run.length;
  }
  return null;
}

/** `[label](url "title")` starting at the `[` at `start`. */
function linkAt(
  text: string,
  start: number,
): { label: string; url: string; title?: string; end: number } | null {
  let depth = 0;
  let close = -1;
  for (let j = start; j < text.length; j++) {
    const ch = text[j];
    if (ch === "\\") {
      j++;
      continue;
    }
    if (ch === "`") {
      const span = codeSpan(text, j);
      if (span !== null) j = span.end - 1;
      continue;
    }
    if (ch === "[") depth++;
    if (ch === "]" && --depth === 0) {
      close = j;
      break;
    }
  }
  if (close < 0 || text[close + 1] !== "(") return null;
  const target =
    /^\(\s*(<[^<>\n]*>|(?:[^\s()\\]|\\.|\([^\s()]*\))*)(?:\s+("[^"]*"|'[^']*'))?\s*\)/.exec(
      text.slice(close + 1),
    );
  if (target === null) return null;
  let url = target[1] ?? "";
  if (url.startsWith("<")) url = url.slice(1, -1);
  url = url.replace(/\\([!-/:-@[-`{-~])/g, "$1");
  const title = target[2]?.slice(1, -1);
  return {
    label: text.slice(start + 1, close),
    url,
    ...(title === undefined ? {} : { title }),
    end: close + 1 + target[0].length,
  };
}

/** `**strong**`, `__strong__`, `*em*` or `_em_` starting at `start`; `_` only between words. */
function emphasisAt(
  text: string,
  start: number,
): { strong: boolean; inner: string; end: number } | null {
  const mark = text[start] as string;
  const before = text[start - 1];
  if (mark === "_" && before !== undefined && /[\p{L}\p{N}]/u.test(before)) return null;
  for (const strong of [true, false]) {
    const delimiter = strong ? mark + mark : mark;
    if (!text.startsWith(delimiter, start)) continue;
    const from = start + delimiter.length;
    if (from >= text.length || /\s/.test(text[from] as string)) continue;
    let j = from;
    while (j < text.length) {
      const k = text.indexOf(delimiter, j);
      if (k < 0) break;
      const after = text[k + delimiter.length];
      const closes =
        k > from &&
        !/\s/.test(text[k - 1] as string) &&
        text[k - 1] !== "\\" &&
        (strong || after !== mark) &&
        (mark !== "_" || after === undefined || !/[\p{L}\p{N}]/u.test(after));
      if (closes) return { strong, inner: text.slice(from, k), end: k + delimiter.length };
      j = k + 1;
    }
  }
  return null;
}

/** Inline Markdown reduced to its text (for `alt` attributes). */
function plainText(markdown: string): string {
  return markdown.replace(/[*_`]/g, "").replace(/\\(.)/g, "$1");
}
