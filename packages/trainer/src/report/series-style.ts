/** How one series is drawn. */
export interface SeriesStyle {
  /** Stroke and marker colour. */
  colour: string;
  /** SVG `stroke-dasharray`, or "" for a solid line. */
  dash: string;
}

// Okabe & Ito's palette, chosen to stay distinguishable under the common colour-vision
// deficiencies (its yellow is left out: too faint on white).
const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

// Dash patterns carry the distinction for readers (and printers) without colour. Their count
// (5) is coprime with the colours' (7), so the first 35 series all differ in the pair.
const DASHES = ["", "6 3", "2 3", "9 3 2 3", "1 5"];

/** The style of the `index`-th series of a chart: colour and dash both change per series. */
export function seriesStyle(index: number): SeriesStyle {
  const i = Math.max(0, Math.floor(index));
  return {
    colour: COLOURS[i % COLOURS.length] ?? "#000000",
    dash: DASHES[i % DASHES.length] ?? "",
  };
}
