/**
 * The viridis colour map as 256 RGBA pixels (for a `Uint32Array` view of `ImageData`, which is
 * little-endian on every browser platform: 0xAABBGGRR).
 */

/** Viridis at 9 evenly spaced stops (matplotlib's values, rounded). */
const STOPS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

function build(): Uint32Array {
  const out = new Uint32Array(256);
  const segments = STOPS.length - 1;
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * segments;
    const k = Math.min(segments - 1, Math.floor(t));
    const f = t - k;
    const a = STOPS[k] as readonly [number, number, number];
    const b = STOPS[k + 1] as readonly [number, number, number];
    const r = Math.round(a[0] + (b[0] - a[0]) * f);
    const g = Math.round(a[1] + (b[1] - a[1]) * f);
    const bl = Math.round(a[2] + (b[2] - a[2]) * f);
    out[i] = (0xff << 24) | (bl << 16) | (g << 8) | r;
  }
  return out;
}

export const viridis: Uint32Array = build();
