/** Axis ticks: values, their labels, and the axis domain they span (first to last tick). */
export interface Ticks {
  domain: [number, number];
  values: number[];
  labels: string[];
}

/** Options of {@link linearTicks}. */
export interface LinearTickOptions {
  /** About how many ticks to aim for (default 6). */
  count?: number;
  /** Whole-number steps only, e.g. for epochs. */
  integer?: boolean;
}

// Mantissas of a "nice" step; 2.5 keeps quarter steps (0.25, 25) available.
const MANTISSAS = [1, 2, 2.5, 5, 10];

/**
 * Evenly spaced ticks on 1/2/2.5/5 x 10^k steps whose first and last ticks enclose
 * [min, max]. A zero-width or non-finite range is widened so an axis can still be drawn.
 */
export function linearTicks(min: number, max: number, options: LinearTickOptions = {}): Ticks {
  const count = Math.max(2, options.count ?? 6);
  if (!Number.isFinite(min) || !Number.isFinite(max)) return linearTicks(0, 1, options);
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / (count - 1);
  const exponent = Math.floor(Math.log10(raw));
  let step = 0;
  let decimals = 0;
  for (const mantissa of MANTISSAS) {
    step = Number(`${mantissa}e${exponent}`);
    // Decimals needed to write the step exactly: 2.5 x 10^k needs one more, 10 x 10^k one less.
    decimals = Math.max(0, -exponent + (mantissa === 2.5 ? 1 : mantissa === 10 ? -1 : 0));
    if (options.integer && !Number.isInteger(step)) continue;
    if (step >= raw * (1 - 1e-9)) break;
  }
  if (options.integer && step < 1) {
    step = 1;
    decimals = 0;
  }
  // The small tolerance stops float noise (0.30000000000000004) from adding a tick.
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const values: number[] = [];
  for (let i = first; i <= last; i++) values.push(roundTo(i * step, decimals));
  const useExponent = Math.max(Math.abs(values[0] ?? 0), Math.abs(values.at(-1) ?? 0)) >= 1e6;
  const labels = values.map((v) =>
    useExponent || decimals > 4 ? exponential(v) : v.toFixed(decimals),
  );
  return { domain: [values[0] ?? lo, values.at(-1) ?? hi], values, labels };
}

/**
 * Ticks for a log10 axis over positive [min, max]: every integer multiple within a single
 * decade, 1/2/5 over up to three decades, powers of ten beyond (thinned to about ten).
 * Falls back to [1, 10] when the range holds no positive finite value.
 */
export function logTicks(min: number, max: number): Ticks {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) {
    return logTicks(1, 10);
  }
  const lo = Math.min(min, max);
  const hi = Math.max(min, max);
  // A single value sits mid-axis, a factor of two either side.
  if (lo === hi) return logTicks(lo / 2, hi * 2);
  const loExp = Math.floor(Math.log10(lo) + 1e-9);
  let hiExp = Math.ceil(Math.log10(hi) - 1e-9);
  if (hiExp === loExp) hiExp++;
  const stride = Math.max(1, Math.ceil((hiExp - loExp) / 10));
  // Whole strides only, so the last power of ten still lies at or above the data.
  hiExp = loExp + Math.ceil((hiExp - loExp) / stride) * stride;
  const decades = hiExp - loExp;
  const mantissas = decades <= 1 ? [1, 2, 3, 4, 5, 6, 7, 8, 9] : decades <= 3 ? [1, 2, 5] : [1];
  const candidates: { mantissa: number; exponent: number; value: number }[] = [];
  for (let e = loExp; e <= hiExp; e += stride) {
    for (const m of mantissas) {
      if (e === hiExp && m > 1) break;
      // Built from the decimal string so 3e-4 is exactly the double nearest 0.0003.
      candidates.push({ mantissa: m, exponent: e, value: Number(`${m}e${e}`) });
    }
  }
  // Tighten to the nearest candidates around the data, so a narrow range keeps its detail.
  let start = 0;
  while (start + 1 < candidates.length && (candidates[start + 1]?.value ?? 0) <= lo) start++;
  let end = candidates.length - 1;
  while (end - 1 > start && (candidates[end - 1]?.value ?? 0) >= hi) end--;
  const kept = candidates.slice(start, end + 1);
  const values = kept.map((c) => c.value);
  // One notation per axis: "0.001" next to "5e-4" would read as a different scale.
  const plain = kept.every((c) => c.exponent >= -3 && c.exponent < 6);
  const labels = kept.map((c) => (plain ? String(c.value) : `${c.mantissa}e${c.exponent}`));
  return { domain: [values[0] ?? lo, values.at(-1) ?? hi], values, labels };
}

function roundTo(value: number, decimals: number): number {
  const rounded = Number(value.toFixed(Math.min(decimals, 100)));
  return rounded === 0 ? 0 : rounded; // no "-0"
}

function exponential(value: number): string {
  const [mantissa = "0", exponent = "0"] = value.toExponential(3).split("e");
  const trimmed = mantissa.replace(/\.?0+$/, "");
  return `${trimmed}e${Number(exponent)}`;
}
