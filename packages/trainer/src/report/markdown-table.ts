import { MISSING } from "./number-format.js";

/** Column alignment in a GitHub-flavoured Markdown table. */
export type ColumnAlign = "left" | "right" | "center";

/** A table cell: text, a number printed with `String`, or empty. */
export type TableCell = string | number | null | undefined;

/** Options of {@link markdownTable}. */
export interface MarkdownTableOptions {
  /**
   * Alignment per column; missing entries are "right" when every non-empty cell of the
   * column reads as a number (so digits line up) and "left" otherwise.
   */
  align?: (ColumnAlign | undefined)[];
}

/**
 * A GitHub-flavoured Markdown table with columns padded to equal width, so it also reads
 * well as plain text. Pipes are escaped and line breaks become spaces, so any text fits in a
 * cell; format numbers beforehand (see `number-format.ts`) to control their digits.
 */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly TableCell[])[],
  options: MarkdownTableOptions = {},
): string {
  if (headers.length === 0) throw new Error("markdownTable: no columns");
  rows.forEach((row, i) => {
    if (row.length > headers.length) {
      throw new Error(
        `markdownTable: row ${i} has ${row.length} cells for ${headers.length} columns`,
      );
    }
  });
  const head = headers.map(escapeCell);
  const body = rows.map((row) => headers.map((_, c) => escapeCell(row[c])));
  const align = headers.map(
    (_, c) => options.align?.[c] ?? guessAlign(body.map((r) => r[c] ?? "")),
  );
  const widths = headers.map((_, c) =>
    Math.max(3, head[c]?.length ?? 0, ...body.map((r) => r[c]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => padCell(cell, widths[c] ?? 3, align[c] ?? "left")).join(" | ")} |`;
  const rule = `| ${align.map((a, c) => ruleCell(widths[c] ?? 3, a)).join(" | ")} |`;
  return [line(head), rule, ...body.map(line)].join("\n");
}

function escapeCell(cell: TableCell): string {
  if (cell === null || cell === undefined) return "";
  return String(cell).replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

// Numbers as number-format.ts writes them ("12,345", "-0.25", "3e-4", "22.41 %"), maybe bold.
const NUMERIC = /^[-+]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?(e[-+]?\d+)?( ?%)?$/i;

function guessAlign(column: string[]): ColumnAlign {
  const filled = column
    .map((cell) => cell.replace(/^\*\*(.*)\*\*$/, "$1"))
    .filter((cell) => cell !== "" && cell !== MISSING);
  return filled.length > 0 && filled.every((cell) => /\d/.test(cell) && NUMERIC.test(cell))
    ? "right"
    : "left";
}

function padCell(cell: string, width: number, align: ColumnAlign): string {
  const gap = width - cell.length;
  if (align === "right") return " ".repeat(gap) + cell;
  if (align === "center") {
    const left = Math.floor(gap / 2);
    return " ".repeat(left) + cell + " ".repeat(gap - left);
  }
  return cell + " ".repeat(gap);
}

function ruleCell(width: number, align: ColumnAlign): string {
  if (align === "right") return `${"-".repeat(width - 1)}:`;
  if (align === "center") return `:${"-".repeat(width - 2)}:`;
  return `:${"-".repeat(width - 1)}`;
}
