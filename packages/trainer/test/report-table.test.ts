import { describe, expect, it } from "vitest";
import { meanBins } from "../src/report/downsample.js";
import { markdownTable } from "../src/report/markdown-table.js";
import {
  formatCount,
  formatDuration,
  formatErrorRate,
  formatNumber,
  MISSING,
} from "../src/report/number-format.js";

describe("markdownTable", () => {
  it("pads columns and writes the alignment row", () => {
    const table = markdownTable(
      ["Phase", "Decoder", "CER"],
      [
        ["val", "greedy", "22.41"],
        ["test", "beam", "9.05"],
      ],
      { align: ["left", "center", "right"] },
    );
    expect(table).toBe(
      [
        "| Phase | Decoder |   CER |",
        "| :---- | :-----: | ----: |",
        "| val   | greedy  | 22.41 |",
        "| test  |  beam   |  9.05 |",
      ].join("\n"),
    );
  });

  it("right-aligns numeric columns unless told otherwise", () => {
    const table = markdownTable(
      ["Key", "Count", "Rate", "Mixed"],
      [
        ["a", "12,345", "3e-4", "1"],
        ["b", "7", MISSING, "x"],
        ["c", 5, "**22.41**", ""],
      ],
    );
    expect(table.split("\n")[1]).toBe("| :-- | -----: | --------: | :---- |");
    expect(table.split("\n")[4]).toBe("| c   |      5 | **22.41** |       |");
  });

  it("escapes pipes and flattens line breaks", () => {
    const table = markdownTable(["a|b"], [["x | y\nz"], [null], [undefined]]);
    expect(table.split("\n")).toEqual([
      "| a\\|b     |",
      "| :------- |",
      "| x \\| y z |",
      "|          |",
      "|          |",
    ]);
  });

  it("fills short rows and refuses long ones", () => {
    expect(markdownTable(["a", "b"], [["1"]]).split("\n")[2]).toBe("|   1 |     |");
    expect(() => markdownTable(["a"], [["1", "2"]])).toThrow(/row 0 has 2 cells for 1 columns/);
    expect(() => markdownTable([], [])).toThrow(/no columns/);
    expect(markdownTable(["only"], [])).toBe("| only |\n| :--- |");
  });
});

describe("number formats", () => {
  it("writes error rates with 2 decimals", () => {
    expect(formatErrorRate(22.414)).toBe("22.41");
    expect(formatErrorRate(100)).toBe("100.00");
    expect(formatErrorRate(-0.001)).toBe("0.00");
    expect(formatErrorRate(Number.NaN)).toBe(MISSING);
    expect(formatErrorRate(undefined)).toBe(MISSING);
  });

  it("groups counts by thousands whatever the locale", () => {
    expect(formatCount(0)).toBe("0");
    expect(formatCount(999)).toBe("999");
    expect(formatCount(1000)).toBe("1,000");
    expect(formatCount(5_312_099)).toBe("5,312,099");
    expect(formatCount(-1234.6)).toBe("-1,235");
    expect(formatCount(Number.POSITIVE_INFINITY)).toBe(MISSING);
  });

  it("writes durations at a readable grain", () => {
    expect(formatDuration(0)).toBe("0.0 s");
    expect(formatDuration(8.46)).toBe("8.5 s");
    expect(formatDuration(42.4)).toBe("42 s");
    expect(formatDuration(185)).toBe("3 min 05 s");
    expect(formatDuration(59.7)).toBe("1 min 00 s");
    expect(formatDuration(3599.6)).toBe("1 h 00 min");
    expect(formatDuration(7620)).toBe("2 h 07 min");
    expect(formatDuration(3 * 86400 + 4 * 3600)).toBe("3 d 04 h");
    expect(formatDuration(-1)).toBe(MISSING);
  });

  it("writes measured values with significant digits", () => {
    expect(formatNumber(0)).toBe("0");
    expect(formatNumber(0.43219)).toBe("0.4322");
    expect(formatNumber(3.1)).toBe("3.1");
    expect(formatNumber(1234.567)).toBe("1235");
    expect(formatNumber(123456)).toBe("123456");
    expect(formatNumber(3e-4)).toBe("3e-4");
    expect(formatNumber(1.23456e-5, 3)).toBe("1.23e-5");
    expect(formatNumber(2.5e7)).toBe("2.5e7");
    expect(formatNumber(-0.5)).toBe("-0.5");
    expect(formatNumber(Number.NaN)).toBe(MISSING);
  });
});

describe("meanBins", () => {
  it("averages long series down and keeps short ones", () => {
    const points = Array.from({ length: 10 }, (_, i): [number, number] => [i, i * 2]);
    expect(meanBins(points, 20)).toEqual(points);
    expect(meanBins(points, 5)).toEqual([
      [0.5, 1],
      [2.5, 5],
      [4.5, 9],
      [6.5, 13],
      [8.5, 17],
    ]);
  });

  it("skips non-finite values and keeps an all-NaN bucket as a gap", () => {
    const bins = meanBins(
      [
        [0, 1],
        [1, Number.NaN],
        [2, Number.NaN],
        [3, Number.NaN],
      ],
      2,
    );
    expect(bins[0]).toEqual([0, 1]);
    expect(bins[1]?.[0]).toBe(2);
    expect(bins[1]?.[1]).toBeNaN();
  });
});
