/**
 * Sample index ↔ time (unix seconds) for a whole session from every `step`-th timestamp:
 * linear in between, which is exact for a steady 2 kHz clock and within a sample where the
 * clock drifts. A 20-minute session keeps 37 500 timestamps instead of 2.4 million.
 *
 * It fills as the session is read; past the last timestamp read so far (and outside the
 * session) it extrapolates at `rate`, the nominal sample rate.
 */
export class TimeMap {
  /** Time of samples 0, step, 2 step, … and of the last sample. */
  private readonly knots: Float64Array;
  /** Sample index of each knot. */
  private readonly samples: Float64Array;
  /** Knots known so far. */
  private filled = 0;

  constructor(
    readonly length: number,
    readonly step = 64,
    readonly rate = 2000,
  ) {
    const count =
      length === 0 ? 0 : Math.floor((length - 1) / step) + 1 + ((length - 1) % step === 0 ? 0 : 1);
    this.knots = new Float64Array(count);
    this.samples = new Float64Array(count);
    for (let i = 0; i < count; i++) this.samples[i] = Math.min(i * step, length - 1);
  }

  /** Takes the knots among samples `[start, start + time.length)`; call in order. */
  add(start: number, time: Float64Array): void {
    while (this.filled < this.samples.length) {
      const sample = this.samples[this.filled] as number;
      if (sample >= start + time.length) break;
      this.knots[this.filled] = time[sample - start] as number;
      this.filled += 1;
    }
  }

  /** Whether every timestamp it keeps has been read. */
  get complete(): boolean {
    return this.filled === this.knots.length;
  }

  /** Time of the first sample. */
  get startTime(): number {
    return this.filled === 0 ? 0 : (this.knots[0] as number);
  }

  /** Time of the last sample (extrapolated until it has been read). */
  get endTime(): number {
    return this.timeAt(this.length - 1);
  }

  /** Time (unix seconds) at a fractional sample index. */
  timeAt(sample: number): number {
    const n = this.filled;
    if (n === 0) return sample / this.rate;
    const lastSample = this.samples[n - 1] as number;
    if (n === 1 || sample >= lastSample) {
      return (this.knots[n - 1] as number) + (sample - lastSample) / this.rate;
    }
    if (sample <= 0) return (this.knots[0] as number) + sample / this.rate;
    const i = Math.min(n - 2, Math.floor(sample / this.step));
    return interpolate(i, sample, this.samples, this.knots);
  }

  /** Fractional sample index at a time. */
  sampleAt(time: number): number {
    const n = this.filled;
    if (n === 0) return time * this.rate;
    const lastTime = this.knots[n - 1] as number;
    if (n === 1 || time >= lastTime) {
      return (this.samples[n - 1] as number) + (time - lastTime) * this.rate;
    }
    const firstTime = this.knots[0] as number;
    if (time <= firstTime) return (time - firstTime) * this.rate;
    // The last knot whose time is <= time, within [0, n - 2].
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if ((this.knots[mid] as number) <= time) lo = mid;
      else hi = mid;
    }
    return interpolate(lo, time, this.knots, this.samples);
  }
}

function interpolate(i: number, x: number, from: Float64Array, to: Float64Array): number {
  const x0 = from[i] as number;
  const x1 = from[i + 1] as number;
  const y0 = to[i] as number;
  const y1 = to[i + 1] as number;
  return x1 === x0 ? y0 : y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
}
