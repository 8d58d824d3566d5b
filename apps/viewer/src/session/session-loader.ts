/**
 * Reads an open session once, front to back in large windows, into what the view keeps: the
 * min/max pyramid and every 64th timestamp. The samples themselves are not kept; the detail
 * view reads them again on demand through a `SampleCache`.
 *
 * Reading is progressive: `SessionLoad` starts with each channel's scale (from windows spread
 * over the session) and the first window (enough for the first view), and reads the rest in
 * slices of a few milliseconds, so the session shows before it has been read through and the
 * page stays responsive meanwhile. Until then the pyramid has empty buckets (drawn as gaps) and
 * the time map extrapolates at 2 kHz.
 */
import type { EmgWindow, Session } from "@emgkit/emg-io";
import type { OpenSession } from "../app-context.js";
import { MinMaxPyramid, type PyramidLevel } from "./pyramid.js";
import { BLOCK_SAMPLES, SampleCache } from "./sample-cache.js";
import { TimeMap } from "./time-map.js";

/** Channels of a session: 2 bands × 16 electrodes, band 0 (left) first. */
export const CHANNELS = 32;
/**
 * Samples per read: one cache block (4.5 MB of HDF5 rows, a few ms; reading 16 K to 64 K
 * samples at a time costs the same per sample, measured).
 */
export const LOAD_ROWS = BLOCK_SAMPLES;
/** Windows read across the session for the channels' scales, and their length. */
const SCALE_WINDOWS = 32;
const SCALE_WINDOW_ROWS = 2048;

/** A session ready to draw (while it is still being read, too). */
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
  /** Samples read into the pyramid and the time map so far (`length` once complete). */
  read: number;
  /** Milliseconds spent reading samples, and building the pyramid, so far. */
  timings: { readMs: number; pyramidMs: number };
}

/** One front-to-back read of a session. */
export class SessionLoad {
  readonly data: LoadedSession;
  private readonly window: EmgWindow = {
    time: new Float64Array(LOAD_ROWS),
    emg: new Float32Array(LOAD_ROWS * CHANNELS),
  };

  constructor(open: OpenSession) {
    const { session } = open;
    const length = session.length;
    const blockTimes = new Float64Array(BLOCK_SAMPLES);
    const cache = new SampleCache(length, CHANNELS, (start, rows, into) => {
      // Whole blocks go straight into the cache's buffer; only the last, short one allocates.
      if (rows === BLOCK_SAMPLES) session.readInto(start, { time: blockTimes, emg: into });
      else into.set(session.read(start, start + rows).emg);
    });
    const { centers, amplitudes } = sampledScales(session);
    this.data = {
      name: open.name,
      session,
      length,
      pyramid: new MinMaxPyramid(length, CHANNELS),
      times: new TimeMap(length),
      cache,
      centers,
      amplitudes,
      read: 0,
      timings: { readMs: 0, pyramidMs: 0 },
    };
    // The first window, which holds the first view; its samples prime the cache.
    const first = this.readNext();
    if (this.data.read > 0) cache.prime(0, first);
  }

  /** Whether the whole session has been read (and the pyramid finished). */
  get done(): boolean {
    return this.data.read === this.data.length;
  }

  /** Reads windows for about `budgetMs` (at least one); finishes the pyramid at the end. */
  step(budgetMs: number): boolean {
    const until = performance.now() + budgetMs;
    while (!this.done) {
      this.readNext();
      if (performance.now() >= until) break;
    }
    return this.done;
  }

  /** Reads everything that is left. */
  finish(): void {
    while (!this.done) this.readNext();
  }

  /** Reads the next window into the pyramid and the time map; returns its EMG. */
  private readNext(): Float32Array {
    const data = this.data;
    const start = data.read;
    const rows = Math.min(LOAD_ROWS, data.length - start);
    if (rows <= 0) return this.window.emg.subarray(0, 0);
    const t0 = performance.now();
    const chunk =
      rows === LOAD_ROWS
        ? data.session.readInto(start, this.window)
        : data.session.read(start, start + rows);
    const t1 = performance.now();
    data.pyramid.add(chunk.emg, rows);
    data.times.add(start, chunk.time);
    data.read = start + rows;
    if (data.read === data.length) data.pyramid.finish();
    data.timings.readMs += t1 - t0;
    data.timings.pyramidMs += performance.now() - t1;
    return chunk.emg;
  }
}

/**
 * Each channel's centre and amplitude from windows spread evenly over the session (a few
 * milliseconds of reading), so traces have their final scale from the first draw.
 */
function sampledScales(session: Session): { centers: Float32Array; amplitudes: Float32Array } {
  const length = session.length;
  const rows = Math.min(SCALE_WINDOW_ROWS, length);
  const windows = rows === 0 ? 0 : Math.min(SCALE_WINDOWS, Math.floor(length / rows));
  const pyramid = new MinMaxPyramid(windows * rows, CHANNELS, [64]);
  const window: EmgWindow = {
    time: new Float64Array(rows),
    emg: new Float32Array(rows * CHANNELS),
  };
  for (let w = 0; w < windows; w++) {
    const start = windows === 1 ? 0 : Math.floor((w * (length - rows)) / (windows - 1));
    session.readInto(start, window);
    pyramid.add(window.emg, rows);
  }
  return channelScales(pyramid.levels[0] as PyramidLevel, CHANNELS);
}

/** Buckets looked at per channel for its centre and amplitude. */
const SCALE_BUCKETS = 4096;

/**
 * A robust centre and amplitude per channel from a pyramid level: the median of bucket
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
