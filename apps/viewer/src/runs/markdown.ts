import { escapeHtml } from "./html-escape.js";
import { type MarkdownUrls, plainUrls, renderInline } from "./markdown-inline.js";

export { isSafeUrl, type MarkdownUrls, plainUrls } from "./markdown-inline.js";

/**
 * The Markdown of emgkit's reports as an HTML string, without a DOM: ATX headings,
 * paragraphs, pipe tables with column alignment, bullet and numbered lists, block quotes,
 * fenced code, rules, and inline code, emphasis, links and images. Raw HTML is escaped and
 * shown as text; link and image URLs go through `urls` (by default kept when relative or
 * `http(s):`/`mailto:`, dropped otherwise), so a report cannot inject script.
 */
export function renderMarkdown(markdown: string, urls: MarkdownUrls = plainUrls): string {
  const lines = markdown.replace(/\r\n?/g, "\n").replace(/\t/g, "    ").split("\n");
  return renderBlocks(lines, urls);
}

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const TABLE_SEPARATOR = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

function renderBlocks(lines: readonly string[], urls: MarkdownUrls): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.trim() === "") {
      i++;
      continue;
    }

    const fence = FENCE.exec(line);
    if (fence !== null) {
      const marker = fence[1] as string;
      const code: string[] = [];
      i++;
      while (i < lines.length && !isFenceClose(lines[i] as string, marker)) {
        code.push(lines[i] as string);
        i++;
      }
      i++; // the closing fence (or the end)
      const language = fence[2] ? ` class="language-${escapeHtml(fence[2])}"` : "";
      out.push(`<pre><code${language}>${escapeHtml(code.join("\n"))}</code></pre>`);
      continue;
    }

    const heading = HEADING.exec(line);
    if (heading !== null) {
      const level = (heading[1] as string).length;
      const text = heading[2] ?? "";
      const id = slug(text);
      const idAttribute = id === "" ? "" : ` id="${escapeHtml(id)}"`;
      out.push(`<h${level}${idAttribute}>${renderInline(text, urls)}</h${level}>`);
      i++;
      continue;
    }

    if (RULE.test(line)) {
      out.push("<hr>");
      i++;
      continue;
    }

    if (isTableStart(lines, i)) {
      i = renderTable(lines, i, urls, out);
      continue;
    }

    if (QUOTE.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && (lines[i] as string).trim() !== "") {
        const m = QUOTE.exec(lines[i] as string);
        quoted.push(m === null ? (lines[i] as string) : (m[1] ?? ""));
        i++;
      }
      out.push(`<blockquote>\n${renderBlocks(quoted, urls)}\n</blockquote>`);
      continue;
    }

    if (LIST_ITEM.test(line)) {
      i = renderList(lines, i, urls, out);
      continue;
    }

    const paragraph: string[] = [];
    while (i < lines.length && (lines[i] as string).trim() !== "") {
      if (paragraph.length > 0 && startsBlock(lines, i)) break;
      paragraph.push(lines[i] as string);
      i++;
    }
    const text = paragraph.map((l, k) => (k === 0 ? l.trimStart() : l)).join("\n");
    out.push(`<p>${renderInline(text.replace(/[ \t]+$/, ""), urls)}</p>`);
  }
  return out.join("\n");
}

/** Whether line `i` starts a block that interrupts a paragraph. */
function startsBlock(lines: readonly string[], i: number): boolean {
  const line = lines[i] as string;
  return (
    HEADING.test(line) ||
    FENCE.test(line) ||
    RULE.test(line) ||
    QUOTE.test(line) ||
    /^ {0,3}([-*+]|1[.)])[ \t]+\S/.test(line) ||
    isTableStart(lines, i)
  );
}

function isFenceClose(line: string, marker: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return m !== null && m[1]?.[0] === marker[0] && (m[1]?.length ?? 0) >= marker.length;
}

/** A header row with pipes followed by a separator row with the same number of cells. */
function isTableStart(lines: readonly string[], i: number): boolean {
  const header = lines[i];
  const separator = lines[i + 1];
  if (header === undefined || separator === undefined) return false;
  if (!header.includes("|") || !TABLE_SEPARATOR.test(separator)) return false;
  return splitRow(header).length === splitRow(separator).length;
}

/** Renders the table starting at line `i`; returns the index of the line after it. */
function renderTable(
  lines: readonly string[],
  i: number,
  urls: MarkdownUrls,
  out: string[],
): number {
  const headers = splitRow(lines[i] as string);
  const aligns = splitRow(lines[i + 1] as string).map((cell) => {
    const left = cell.startsWith(":");
    const right = cell.endsWith(":");
    return left && right ? "center" : right ? "right" : left ? "left" : null;
  });
  const cell = (tag: "th" | "td", text: string, k: number) => {
    const align = aligns[k];
    const style = align === null || align === undefined ? "" : ` style="text-align:${align}"`;
    return `<${tag}${style}>${renderInline(text, urls)}</${tag}>`;
  };
  const html = [
    "<table>",
    "<thead>",
    `<tr>${headers.map((h, k) => cell("th", h, k)).join("")}</tr>`,
  ];
  html.push("</thead>", "<tbody>");
  let j = i + 2;
  while (j < lines.length) {
    const line = lines[j] as string;
    if (line.trim() === "" || !line.includes("|") || startsBlockOtherThanTable(line)) break;
    const cells = splitRow(line);
    const row = headers.map((_, k) => cell("td", cells[k] ?? "", k));
    html.push(`<tr>${row.join("")}</tr>`);
    j++;
  }
  html.push("</tbody>", "</table>");
  out.push(html.join("\n"));
  return j;
}

function startsBlockOtherThanTable(line: string): boolean {
  return HEADING.test(line) || FENCE.test(line) || QUOTE.test(line);
}

/**
 * The cells of a table row: split at pipes that are neither escaped (`\|`) nor inside a code
 * span, the outer pipes dropped, each cell trimmed; `\|` becomes `|`.
 */
export function splitRow(line: string): string[] {
  let row = line.trim();
  if (row.startsWith("|")) row = row.slice(1);
  if (row.endsWith("|") && !row.endsWith("\\|")) row = row.slice(0, -1);
  const cells: string[] = [];
  let current = "";
  let code = 0; // length of the open code span's backtick run, 0 outside code
  for (let j = 0; j < row.length; j++) {
    const ch = row[j] as string;
    if (ch === "\\" && row[j + 1] === "|") {
      current += "|";
      j++;
      continue;
    }
    if (ch === "`") {
      const run = /^`+/.exec(row.slice(j))?.[0] ?? "`";
      if (code === 0) code = run.length;
      else if (run.length === code) code = 0;
      current += run;
      j += run.length - 1;
      continue;
    }
    if (ch === "|" && code === 0) {
      cells.push(current.trim());
      current = "";
      continue;
    }
    current += ch;
  }
  cells.push(current.trim());
  return cells;
}

/** Renders the list starting at line `i`; returns the index of the line after it. */
function renderList(
  lines: readonly string[],
  i: number,
  urls: MarkdownUrls,
  out: string[],
): number {
  const first = LIST_ITEM.exec(lines[i] as string);
  const ordered = /\d/.test(first?.[2] ?? "");
  const start = ordered ? Number.parseInt(first?.[2] ?? "1", 10) : 1;
  const items: string[][] = [];
  let j = i;
  while (j < lines.length) {
    const line = lines[j] as string;
    const item = LIST_ITEM.exec(line);
    if (item !== null && /\d/.test(item[2] ?? "") === ordered) {
      items.push([item[3] ?? ""]);
      j++;
      continue;
    }
    if (line.trim() === "") {
      // A blank line ends the list unless an indented continuation or another item follows.
      const after = lines[j + 1];
      if (after !== undefined && (/^ {2,}\S/.test(after) || sameKindItem(after, ordered))) {
        j++;
        continue;
      }
      break;
    }
    if (items.length > 0 && (/^\s/.test(line) || !startsBlock(lines, j))) {
      items[items.length - 1]?.push(line.trim());
      j++;
      continue;
    }
    break;
  }
  const tag = ordered ? "ol" : "ul";
  const startAttribute = ordered && start !== 1 ? ` start="${start}"` : "";
  const html = items.map((item) => `<li>${renderInline(item.join("\n"), urls)}</li>`);
  out.push(`<${tag}${startAttribute}>\n${html.join("\n")}\n</${tag}>`);
  return j;
}

function sameKindItem(line: string, ordered: boolean): boolean {
  const item = LIST_ITEM.exec(line);
  return item !== null && /\d/.test(item[2] ?? "") === ordered;
}

/** A heading's anchor: lower case, letters and digits joined by `-`. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`*_[\]()!]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}
