/** Run reports: Markdown with hand-written SVG charts, browser-safe (no file system). */
export {
  type ComparedRun,
  type ComparisonChartOptions,
  comparisonChart,
} from "./comparison-chart.js";
export { meanBins, type Point } from "./downsample.js";
export {
  type ColumnAlign,
  type MarkdownTableOptions,
  markdownTable,
  type TableCell,
} from "./markdown-table.js";
export {
  bestEpoch,
  type EpochAxis,
  type EpochMetric,
  epochRecords,
  epochSeries,
  evalRecords,
  stepRecords,
  stepSeries,
} from "./metric-series.js";
export { type LinearTickOptions, linearTicks, logTicks, type Ticks } from "./nice-ticks.js";
export {
  formatCount,
  formatDuration,
  formatErrorRate,
  formatNumber,
  MISSING,
} from "./number-format.js";
export { type RunReport, type RunReportInfo, renderRunReport } from "./run-report.js";
export { type SeriesStyle, seriesStyle } from "./series-style.js";
export { type LineChartOptions, type LineSeries, lineChart } from "./svg-line-plot.js";
export { escapeXml } from "./xml-escape.js";
