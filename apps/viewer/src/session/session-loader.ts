/**
 * Reads an open session once, front to back in large windows, into what the view keeps: the
 * min/max pyramid, every 64th timestamp, and each channel's centre and amplitude for scaling.
 * The samples themselves are not kept; the detail view reads them again on demand through a
 * `SampleCache`.
 */
import type { EmgWindow, Session } from "@emgkit/emg-io";
import type { OpenSession } from "../app-context.js";
import { MinMaxPyramid, type PyramidLevel } from "./pyramid.js";
import { BLOCK_SAMPLES, SampleCache } from "./sample-cache.js";
import { TimeMap } from "./time-map.js";

/** Channels of a session: 2 bands × 16 electrodes, band 0 (left) first. */
export const CHANNELS = 32;
/** Samples per read while loading (8.9 MB of HDF5 rows; measured fastest of 16 K, 64 K, 256 K). */
export const LOAD_ROWS = 65_536;
/** Longest stretch of work between two yields to the browser while loading, ms. */
const YIELD_MS = 100;

/** A session ready to draw. */
export interface LoadedSession {
  name: string;
  session: Session;
  length: number;
  pyramid: MinMaxPyramid;
  times: TimeMap;
  cache: SampleCache;
  /** Each channel's centre (median of its 1:64 bucket mid-points). */
  centers: Float32Array;
  /** Each channel's amplitude about its centre (99th percentile of 1:64 bucket extents). */
  amplitudes: Float32Array;
  /** Milliseconds spent reading samples, and building the pyramid. */
  timings: { readMs: number; pyramidMs: number };
}

/**
 * Reads the whole session once. `onProgress` gets the fraction read; the browser gets a turn
 * every 100 ms or so, so the page stays responsive.
 */
export async function loadSession(
  open: OpenSession,
  onProgress: (fraction: number) => void = () => {},
): Promise<LoadedSession> {
  const { session } = open;
  const length = session.length;
  const pyramid = new MinMaxPyramid(length, CHANNELS);
  const times = new TimeMap(length);
  const blockTimes = new Float64Array(BLOCK_SAMPLES);
  const cache = new SampleCache(length, CHANNELS, (start, rows, into) => {
    // Whole blocks go straight into the cache's buffer; only the last, short one allocates.
    if (rows === BLOCK_SAMPLES) session.readInto(start, { time: blockTimes, emg: into });
    else into.set(session.read(start, start + rows).emg);
  });
  const window: EmgWindow = {
    time: new Float64Array(LOAD_ROWS),
    emg: new Float32Array(LOAD_ROWS * CHANNELS),
  };
  const timings = { readMs: 0, pyramidMs: 0 };
  let lastYield = performance.now();
  for (let start = 0; start < length; start += LOAD_ROWS) {
    const rows = Math.min(LOAD_ROWS, length - start);
    const t0 = performance.now();
    const chunk =
      rows === LOAD_ROWS ? session.readInto(start, window) : session.read(start, start + rows);
    const t1 = performance.now();
    pyramid.add(chunk.emg, rows);
    times.add(start, chunk.time);
    if (start === 0) {
      for (let b = 0; b * cache.blockSamples < rows && b < 2; b++) {
        cache.prime(b, chunk.emg.subarray(b * cache.blockSamples * CHANNELS));
      }
    }
    const t2 = performance.now();
    timings.readMs += t1 - t0;
    timings.pyramidMs += t2 - t1;
    if (t2 - lastYield > YIELD_MS) {
      onProgress((start + rows) / length);
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastYield = performance.now();
    }
  }
  const t3 = performance.now();
  pyramid.finish();
  timings.pyramidMs += performance.now() - t3;
  onProgress(1);
  const { centers, amplitudes } = channelScales(pyramid.levels[0] as PyramidLevel, CHANNELS);
  return {
    name: open.name,
    session,
    length,
    pyramid,
    times,
    cache,
    centers,
    amplitudes,
    timings,
  };
}

/** Buckets looked at per channel for its centre and amplitude. */
const SCALE_BUCKETS = 4096;

/**
 * A robust centre and amplitude per channel from the finest pyramid level: the median of bucket
 * mid-points, and the 99th percentile of how far buckets reach from it.
 */
export function channelScales(
  level: PyramidLevel,
  channels: number,
): { centers: Float32Array; amplitudes: Float32Array } {
  const centers = new Float32Array(channels);
  const amplitudes = new Float32Array(channels).fill(1);
  const stride = Math.max(1, Math.floor(level.buckets / SCALE_BUCKETS));
  const values = new Float64Array(Math.ceil(level.buckets / stride));
  for (let c = 0; c < channels; c++) {
    const base = c * level.buckets;
    let n = 0;
    for (let b = 0; b < level.buckets; b += stride) {
      const lo = level.min[base + b] as number;
      const hi = level.max[base + b] as number;
      if (Number.isFinite(lo) && Number.isFinite(hi)) values[n++] = (lo + hi) / 2;
    }
    if (n === 0) continue;
    const center = quantile(values.subarray(0, n), 0.5);
    n = 0;
    for (let b = 0; b < level.buckets; b += stride) {
      const lo = level.min[base + b] as number;
      const hi = level.max[base + b] as number;
      if (Number.isFinite(lo) && Number.isFinite(hi)) {
        values[n++] = Math.max(hi - center, center - lo);
      }
    }
    const amplitude = quantile(values.subarray(0, n), 0.99);
    centers[c] = center;
    amplitudes[c] = amplitude > 0 && Number.isFinite(amplitude) ? amplitude : 1;
  }
  return { centers, amplitudes };
}

/** The q-quantile (nearest rank) of values; sorts them in place. */
function quantile(values: Float64Array, q: number): number {
  values.sort();
  return values[Math.min(values.length - 1, Math.floor(q * values.length))] as number;
}
