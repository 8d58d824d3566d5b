import { describe, expect, it } from "vitest";
import type { MetricsRecord } from "../src/metrics-record.js";
import {
  comparisonChart,
  escapeXml,
  type LineChartOptions,
  lineChart,
  renderRunReport,
  seriesStyle,
} from "../src/report/index.js";

const NAME = "[A-Za-z_:][-A-Za-z0-9_:.]*";
const OPEN_TAG = new RegExp(
  `<(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`,
  "y",
);
const CLOSE_TAG = new RegExp(`</(${NAME})\\s*>`, "y");
const ATTRIBUTE = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, "g");
const BAD_AMPERSAND = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;

/**
 * A small XML well-formedness check (no DOMParser in Node): one root element, tags that
 * nest and close, quoted unique attributes, and `&` only in entity references.
 */
function assertWellFormedXml(xml: string): void {
  const stack: string[] = [];
  let roots = 0;
  let i = xml.startsWith("<?xml") ? xml.indexOf("?>") + 2 : 0;
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = lt < 0 ? xml.slice(i) : xml.slice(i, lt);
    if (BAD_AMPERSAND.test(text)) throw new Error(`bad & in text near ${i}`);
    if (stack.length === 0 && text.trim() !== "")
      throw new Error(`text outside the root near ${i}`);
    if (lt < 0) break;
    if (xml.startsWith("<!--", lt)) {
      const end = xml.indexOf("-->", lt);
      if (end < 0) throw new Error("unclosed comment");
      i = end + 3;
      continue;
    }
    CLOSE_TAG.lastIndex = lt;
    const close = CLOSE_TAG.exec(xml);
    if (close) {
      const open = stack.pop();
      if (open !== close[1]) throw new Error(`</${close[1]}> closes <${open}> near ${lt}`);
      i = CLOSE_TAG.lastIndex;
      continue;
    }
    OPEN_TAG.lastIndex = lt;
    const tag = OPEN_TAG.exec(xml);
    if (!tag) throw new Error(`malformed tag near ${lt}: ${xml.slice(lt, lt + 40)}`);
    const seen = new Set<string>();
    for (const [, name = "", double, single] of (tag[2] ?? "").matchAll(ATTRIBUTE)) {
      if (seen.has(name)) throw new Error(`duplicate attribute ${name} near ${lt}`);
      seen.add(name);
      if (BAD_AMPERSAND.test(double ?? single ?? "")) throw new Error(`bad & in ${name}`);
    }
    if (stack.length === 0) roots++;
    if (tag[3] !== "/") stack.push(tag[1] ?? "");
    i = OPEN_TAG.lastIndex;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join("><")}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
}

const base: LineChartOptions = {
  title: "Loss",
  xLabel: "epoch",
  yLabel: "CTC loss",
  series: [
    {
      name: "train",
      points: [
        [0, 3.1],
        [1, 2.2],
        [2, 1.7],
        [3, 1.4],
      ],
    },
    {
      name: "val",
      points: [
        [0, 3.3],
        [1, 2.6],
        [2, 2.1],
        [3, 2.0],
      ],
    },
  ],
};

/** The chart without its legend, where each series also draws a sample line and marker. */
function plotPart(svg: string): string {
  return svg.split('<g class="legend">')[0] ?? "";
}

describe("the XML check itself", () => {
  it("rejects what is not well-formed", () => {
    expect(() => assertWellFormedXml('<svg a="1"><g></g></svg>')).not.toThrow();
    expect(() => assertWellFormedXml("<svg><g></svg>")).toThrow();
    expect(() => assertWellFormedXml("<svg>a & b</svg>")).toThrow();
    expect(() => assertWellFormedXml('<svg a="1" a="2"/>')).toThrow();
    expect(() => assertWellFormedXml("<svg/><svg/>")).toThrow();
    expect(() => assertWellFormedXml("<svg><text>1 < 2</text></svg>")).toThrow();
  });
});

describe("lineChart", () => {
  it("draws a well-formed SVG with title, axis labels, ticks, grid and legend", () => {
    const svg = lineChart(base);
    assertWellFormedXml(svg);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain("<title>Loss</title>");
    expect(svg).toContain(">CTC loss</text>");
    expect(svg).toContain(">epoch</text>");
    const labels = [...svg.matchAll(/>([^<]*)<\/text>/g)].map((m) => m[1]);
    // x ticks 0..3 by 0.5, y ticks 1..3.5 by 0.5: nice steps that cover the data.
    const xTicks = ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0"];
    const yTicks = ["1.0", "1.5", "2.0", "2.5", "3.0", "3.5"];
    expect(labels).toEqual(["Loss", ...xTicks, ...yTicks, "epoch", "CTC loss", "train", "val"]);
    expect(lineChart({ ...base, xInteger: true })).toContain(">3</text>");
    expect(plotPart(svg).match(/<path /g)).toHaveLength(2);
  });

  it("is deterministic, with coordinates rounded to 2 decimals", () => {
    const svg = lineChart({
      ...base,
      series: [
        {
          name: "x",
          points: [
            [1 / 3, Math.PI],
            [2 / 3, Math.E],
          ],
        },
      ],
    });
    expect(
      lineChart({
        ...base,
        series: [
          {
            name: "x",
            points: [
              [1 / 3, Math.PI],
              [2 / 3, Math.E],
            ],
          },
        ],
      }),
    ).toBe(svg);
    const numbers = svg.match(/-?\d+\.\d+/g) ?? [];
    expect(numbers.length).toBeGreaterThan(0);
    for (const number of numbers) expect(number).toMatch(/^-?\d+\.\d{1,2}$/);
  });

  it("escapes titles, labels and series names", () => {
    expect(escapeXml(`a<b>&"c"'d'`)).toBe("a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
    const svg = lineChart({
      ...base,
      title: 'CER <val> & "test"',
      xLabel: "x & y",
      series: [
        {
          name: "<script>alert(1)</script>",
          points: [
            [0, 1],
            [1, 2],
          ],
        },
      ],
    });
    assertWellFormedXml(svg);
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(svg).toContain("CER &lt;val&gt; &amp; &quot;test&quot;");
  });

  it("leaves a gap at non-finite points and marks a point left alone", () => {
    const svg = lineChart({
      ...base,
      markerLimit: 0,
      series: [
        {
          name: "loss",
          points: [
            [0, 5],
            [1, Number.NaN],
            [2, 4],
            [3, 3],
            [4, Infinity],
            [5, 2],
            [6, 1],
          ],
        },
      ],
    });
    assertWellFormedXml(svg);
    expect(svg).not.toMatch(/NaN|Infinity/);
    const plot = plotPart(svg);
    const d = plot.match(/<path d="([^"]*)"/)?.[1] ?? "";
    expect(d.match(/M/g)).toHaveLength(2); // [2, 3] and [5, 6]; [0] stands alone
    expect(plot.match(/<circle /g)).toHaveLength(1);
  });

  it("draws a single point as a marker, and markers on short series only", () => {
    const single = plotPart(lineChart({ ...base, series: [{ name: "one", points: [[0, 22.5]] }] }));
    expect(single).not.toContain("<path ");
    expect(single.match(/<circle /g)).toHaveLength(1);
    const long = Array.from({ length: 100 }, (_, i): [number, number] => [i, Math.sin(i)]);
    const many = plotPart(lineChart({ ...base, series: [{ name: "long", points: long }] }));
    expect(many).not.toContain("<circle ");
    expect(plotPart(lineChart(base)).match(/<circle /g)).toHaveLength(8);
  });

  it("says no data when nothing can be drawn", () => {
    for (const series of [
      [],
      [{ name: "empty", points: [] }],
      [{ name: "nan", points: [[0, Number.NaN]] as [number, number][] }],
    ]) {
      const svg = lineChart({ ...base, series });
      assertWellFormedXml(svg);
      expect(svg).toContain(">no data</text>");
      expect(svg).not.toContain("<path ");
      expect(svg).not.toMatch(/NaN|Infinity/);
    }
    expect(lineChart({ ...base, series: [{ name: "empty", points: [] }] })).toContain(
      ">empty</text>",
    );
  });

  it("puts a log y axis on decade ticks and skips values it cannot place", () => {
    const svg = lineChart({
      ...base,
      logY: true,
      series: [
        {
          name: "lr",
          points: [
            [0, 0],
            [1, 1e-4],
            [2, 3e-3],
            [3, -1],
            [4, 5e-4],
          ],
        },
      ],
    });
    assertWellFormedXml(svg);
    for (const label of ["1e-4", "2e-4", "5e-4", "1e-3", "5e-3"])
      expect(svg).toContain(`>${label}</text>`);
    expect(svg).not.toMatch(/NaN|Infinity/);
    // 1e-4 sits on the bottom tick's gridline, 5e-4 on a tick, so their y's appear among grid lines.
    const gridYs = new Set(
      [...svg.matchAll(/<line x1="[\d.]+" y1="([\d.]+)" x2="[\d.]+" y2="\1"\/>/g)].map((m) => m[1]),
    );
    const pointYs = [...plotPart(svg).matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map(
      (m) => m[1],
    );
    expect(pointYs).toHaveLength(3);
    expect(gridYs.has(pointYs[0])).toBe(true);
    expect(gridYs.has(pointYs[2])).toBe(true);
  });

  it("gives each series its own colour and dash pattern", () => {
    const pairs = new Set(Array.from({ length: 35 }, (_, i) => JSON.stringify(seriesStyle(i))));
    expect(pairs.size).toBe(35);
    for (let i = 1; i < 35; i++) {
      expect(seriesStyle(i).colour).not.toBe(seriesStyle(i - 1).colour);
      expect(seriesStyle(i).dash).not.toBe(seriesStyle(i - 1).dash);
    }
    const svg = lineChart(base);
    expect(svg).toContain('stroke="#0072B2"');
    expect(svg).toContain(
      'stroke="#D55E00" stroke-width="1.5" stroke-linejoin="round" stroke-dasharray="6 3"',
    );
  });

  it("handles a per-step series of 200k points", () => {
    const points = Array.from({ length: 200_000 }, (_, i): [number, number] => [i, 1 / (i + 1)]);
    const svg = lineChart({ ...base, series: [{ name: "step", points }] });
    assertWellFormedXml(svg);
  });
});

describe("report figures", () => {
  it("are well-formed SVG, including comparisons", () => {
    const records: MetricsRecord[] = [0, 1, 2].flatMap((epoch): MetricsRecord[] => [
      {
        kind: "step",
        epoch,
        step: epoch * 10 + 5,
        loss: 3 - epoch,
        lr: 1e-3,
        windowsPerSecond: 50,
        time: epoch * 60 + 30,
      },
      {
        kind: "epoch",
        phase: "train",
        epoch,
        step: epoch * 10 + 10,
        loss: 3 - epoch,
        lr: 1e-3 / (epoch + 1),
        windowsPerSecond: 50,
        time: epoch * 60 + 60,
        CER: 90 - epoch,
        IER: 1,
        DER: 2,
        SER: 3,
      },
      {
        kind: "epoch",
        phase: "val",
        epoch,
        step: epoch * 10 + 10,
        loss: 3.2 - epoch,
        lr: 1e-3 / (epoch + 1),
        windowsPerSecond: 200,
        time: epoch * 60 + 61,
        CER: 95 - epoch,
        IER: 1,
        DER: 2,
        SER: 3,
      },
    ]);
    const { figures } = renderRunReport(records, { title: "t" });
    expect(Object.keys(figures).sort()).toEqual([
      "cer.svg",
      "loss.svg",
      "lr.svg",
      "throughput.svg",
    ]);
    for (const svg of Object.values(figures)) assertWellFormedXml(svg);
    assertWellFormedXml(comparisonChart([{ name: "a & b", records }], { x: "time" }));
  });
});
