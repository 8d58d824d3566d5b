/** An (x, y) point of a chart series. */
export type Point = readonly [x: number, y: number];

/**
 * Thins a long series (a loss per optimiser step, say 100k steps) to at most `maxPoints`
 * by averaging consecutive runs of points, which keeps the trend and keeps figures small.
 * Non-finite y values are left out of a bucket's mean; a bucket of only those stays a gap.
 */
export function meanBins(points: readonly Point[], maxPoints: number): Point[] {
  if (points.length <= maxPoints || maxPoints < 1) return points.slice();
  const size = Math.ceil(points.length / maxPoints);
  const out: Point[] = [];
  for (let start = 0; start < points.length; start += size) {
    let sumX = 0;
    let sumY = 0;
    let n = 0;
    let firstX = Number.NaN;
    for (const [x, y] of points.slice(start, start + size)) {
      if (Number.isNaN(firstX)) firstX = x;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      sumX += x;
      sumY += y;
      n++;
    }
    out.push(n > 0 ? [sumX / n, sumY / n] : [firstX, Number.NaN]);
  }
  return out;
}
