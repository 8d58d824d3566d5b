import type { Point } from "./downsample.js";
import { linearTicks, logTicks, type Ticks } from "./nice-ticks.js";
import { seriesStyle } from "./series-style.js";
import { escapeXml } from "./xml-escape.js";

/** One named line of a chart. Points are joined in the order given. */
export interface LineSeries {
  name: string;
  points: readonly Point[];
}

/** What {@link lineChart} draws. */
export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly LineSeries[];
  /** A log10 y axis; points with y <= 0 cannot be placed on it and are skipped. */
  logY?: boolean;
  /** Whole-number x ticks only (epochs, steps). */
  xInteger?: boolean;
  /** Pixels; default 640 x 360. */
  width?: number;
  height?: number;
  /** Markers on every point of a series with at most this many points (default 40). */
  markerLimit?: number;
}

const FONT_SIZE = 12;
// Average glyph advance of a 12 px sans-serif, to size margins without measuring text.
const CHAR_WIDTH = 7;
const LEGEND_NAME_MAX = 32;

/**
 * A self-contained SVG line chart: framed plot, nice ticks with labels and grid, axis
 * labels, a legend, and one colour + dash style per series. Non-finite points leave a gap
 * in their line; a point with no drawn neighbour gets a marker so it stays visible; with no
 * drawable point at all the chart says "no data". Coordinates are rounded to 2 decimals, so
 * equal inputs give byte-equal output.
 */
export function lineChart(options: LineChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const logY = options.logY ?? false;
  const markerLimit = options.markerLimit ?? 40;
  const drawable = (p: Point) =>
    Number.isFinite(p[0]) && Number.isFinite(p[1]) && (!logY || p[1] > 0);

  // Loops, not Math.min(...points): a per-step series can exceed the argument limit.
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const s of options.series) {
    for (const p of s.points) {
      if (!drawable(p)) continue;
      minX = Math.min(minX, p[0]);
      maxX = Math.max(maxX, p[0]);
      minY = Math.min(minY, p[1]);
      maxY = Math.max(maxY, p[1]);
    }
  }
  const hasData = minX <= maxX;

  const legendNames = options.series.map((s) => truncate(s.name, LEGEND_NAME_MAX));
  const legendWidth =
    legendNames.length === 0 ? 0 : 44 + CHAR_WIDTH * Math.max(...legendNames.map((n) => n.length));
  const top = 40;
  const bottom = height - 46;
  const right = width - 16 - legendWidth;

  const yTicks: Ticks | undefined = !hasData
    ? undefined
    : logY
      ? logTicks(minY, maxY)
      : linearTicks(minY, maxY, {
          count: Math.max(3, Math.round((bottom - top) / 40)),
        });
  const yLabelChars = Math.max(1, ...(yTicks?.labels ?? []).map((l) => l.length));
  const left = 34 + CHAR_WIDTH * yLabelChars;
  const xTicks: Ticks | undefined = hasData
    ? linearTicks(minX, maxX, {
        count: Math.max(3, Math.round((right - left) / 70)),
        integer: options.xInteger ?? false,
      })
    : undefined;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" font-family="sans-serif" font-size="${FONT_SIZE}" role="img">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect width="${n(width)}" height="${n(height)}" fill="#ffffff"/>`,
    `<text x="${n(width / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`,
  );

  if (xTicks && yTicks) {
    const [x0, x1] = xTicks.domain;
    const [y0, y1] = yTicks.domain;
    const ty = logY ? Math.log10 : (v: number) => v;
    const sx = (x: number) => left + ((x - x0) / (x1 - x0)) * (right - left);
    const sy = (y: number) => bottom - ((ty(y) - ty(y0)) / (ty(y1) - ty(y0))) * (bottom - top);

    out.push('<g stroke="#e6e6e6" stroke-width="1">');
    for (const x of xTicks.values) out.push(line(sx(x), top, sx(x), bottom));
    for (const y of yTicks.values) out.push(line(left, sy(y), right, sy(y)));
    out.push("</g>", '<g stroke="#444444" stroke-width="1">');
    for (const x of xTicks.values) out.push(line(sx(x), bottom, sx(x), bottom + 5));
    for (const y of yTicks.values) out.push(line(left - 5, sy(y), left, sy(y)));
    out.push("</g>", '<g fill="#333333">');
    xTicks.values.forEach((x, i) => {
      out.push(
        `<text x="${n(sx(x))}" y="${n(bottom + 18)}" text-anchor="middle">${escapeXml(xTicks.labels[i] ?? "")}</text>`,
      );
    });
    yTicks.values.forEach((y, i) => {
      out.push(
        `<text x="${n(left - 8)}" y="${n(sy(y) + 4)}" text-anchor="end">${escapeXml(yTicks.labels[i] ?? "")}</text>`,
      );
    });
    out.push("</g>");

    options.series.forEach((s, i) => {
      const style = seriesStyle(i);
      const dash = style.dash === "" ? "" : ` stroke-dasharray="${style.dash}"`;
      const runs = drawableRuns(s.points, drawable);
      const pointCount = runs.reduce((sum, run) => sum + run.length, 0);
      const path = runs
        .filter((run) => run.length > 1)
        .map((run) =>
          run.map(([x, y], k) => `${k === 0 ? "M" : "L"}${n(sx(x))} ${n(sy(y))}`).join(""),
        )
        .join("");
      if (path !== "") {
        out.push(
          `<path d="${path}" fill="none" stroke="${style.colour}" stroke-width="1.5" stroke-linejoin="round"${dash}/>`,
        );
      }
      const marked = runs.filter((run) => pointCount <= markerLimit || run.length === 1).flat();
      for (const [x, y] of marked) {
        out.push(`<circle cx="${n(sx(x))}" cy="${n(sy(y))}" r="2.5" fill="${style.colour}"/>`);
      }
    });
  } else {
    out.push(
      `<text x="${n((left + right) / 2)}" y="${n((top + bottom) / 2)}" text-anchor="middle" fill="#777777">no data</text>`,
    );
  }

  out.push(
    `<rect x="${n(left)}" y="${n(top)}" width="${n(Math.max(0, right - left))}" height="${n(Math.max(0, bottom - top))}" fill="none" stroke="#444444"/>`,
    `<text x="${n((left + right) / 2)}" y="${n(height - 10)}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text x="14" y="${n((top + bottom) / 2)}" text-anchor="middle" transform="rotate(-90 14 ${n((top + bottom) / 2)})">${escapeXml(options.yLabel)}</text>`,
  );

  if (legendNames.length > 0) {
    out.push('<g class="legend">');
    const lx = right + 14;
    legendNames.forEach((name, i) => {
      const style = seriesStyle(i);
      const ly = top + 10 + i * 18;
      const dash = style.dash === "" ? "" : ` stroke-dasharray="${style.dash}"`;
      out.push(
        `<line x1="${n(lx)}" y1="${n(ly)}" x2="${n(lx + 24)}" y2="${n(ly)}" stroke="${style.colour}" stroke-width="1.5"${dash}/>`,
        `<circle cx="${n(lx + 12)}" cy="${n(ly)}" r="2.5" fill="${style.colour}"/>`,
        `<text x="${n(lx + 30)}" y="${n(ly + 4)}">${escapeXml(name)}</text>`,
      );
    });
    out.push("</g>");
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

/** Splits a series at points that cannot be drawn, so a NaN loss shows as a gap. */
function drawableRuns(points: readonly Point[], drawable: (p: Point) => boolean): Point[][] {
  const runs: Point[][] = [];
  let current: Point[] = [];
  for (const p of points) {
    if (drawable(p)) {
      current.push(p);
    } else if (current.length > 0) {
      runs.push(current);
      current = [];
    }
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

function line(x1: number, y1: number, x2: number, y2: number): string {
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}"/>`;
}

/** A coordinate rounded to 2 decimals, without "-0", for deterministic output. */
function n(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(rounded === 0 ? 0 : rounded);
}

function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}
