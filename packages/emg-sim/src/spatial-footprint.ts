/**
 * Spatial footprints: how strongly a source under the skin shows on each
 * electrode of a band. Electrodes sit evenly around the wrist, so positions
 * are circular (electrode 15 is next to electrode 0). A muscle shows as a
 * smooth bump over a few neighbouring electrodes plus a broad, weak cross-talk
 * floor from volume conduction.
 */

/** Distance between two positions on a ring of `count` electrodes, in electrodes. */
export function circularDistance(a: number, b: number, count: number): number {
  const d = (((a - b) % count) + count) % count;
  return Math.min(d, count - d);
}

/** Signed offset from `center` to `position` on the ring, in (-count/2, count/2]. */
export function circularOffset(position: number, center: number, count: number): number {
  const d = (((position - center) % count) + count) % count;
  return d > count / 2 ? d - count : d;
}

/** Where a source is and how it spreads, in electrode units. */
export interface Footprint {
  /** Position around the ring, in electrodes (fractional). */
  center: number;
  /** Standard deviation of the bump, in electrodes (about 0.8-2). */
  width: number;
  /** Weight of the broad cross-talk floor relative to the peak (about 0.05-0.2). */
  crosstalk: number;
}

/**
 * Weight of `footprint` on electrode `electrode`, when electrode k sits at
 * ring position k + `shift` (band rotation plus placement offset).
 */
export function footprintWeight(
  footprint: Footprint,
  electrode: number,
  count: number,
  shift = 0,
): number {
  const d = circularDistance(electrode + shift, footprint.center, count);
  const bump = Math.exp((-0.5 * d * d) / (footprint.width * footprint.width));
  const broad = 3 * footprint.width;
  return bump + footprint.crosstalk * Math.exp((-0.5 * d * d) / (broad * broad));
}
