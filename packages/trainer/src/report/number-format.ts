/** Shown for a missing or non-finite value, so a table never prints "NaN". */
export const MISSING = "–";

/** An error rate in percent (CER, IER, DER, SER) with 2 decimals, as papers report it. */
export function formatErrorRate(percent: number | undefined): string {
  return percent !== undefined && Number.isFinite(percent) ? fixed(percent, 2) : MISSING;
}

/** A count with thousands separators ("12,345"), rounded; independent of the locale. */
export function formatCount(count: number | undefined): string {
  if (count === undefined || !Number.isFinite(count)) return MISSING;
  const rounded = Math.round(count);
  const digits = String(Math.abs(rounded));
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, ",");
  return rounded < 0 ? `-${grouped}` : grouped;
}

/**
 * A duration in seconds, coarse enough to read at a glance: "8.5 s", "3 min 05 s",
 * "2 h 07 min", "3 d 04 h".
 */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return MISSING;
  if (seconds < 10) return `${fixed(seconds, 1)} s`;
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${pad2(whole % 60)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ${pad2(minutes % 60)} min`;
  const hours = Math.round(seconds / 3600);
  return `${Math.floor(hours / 24)} d ${pad2(hours % 24)} h`;
}

/**
 * A measured value (loss, learning rate, throughput) with `significant` digits: plain
 * notation from 0.001 up to a million, exponent notation ("3e-4") outside it.
 */
export function formatNumber(value: number | undefined, significant = 4): string {
  if (value === undefined || !Number.isFinite(value)) return MISSING;
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e6) {
    const [mantissa = "0", exponent = "0"] = value.toExponential(significant - 1).split("e");
    return `${trimZeros(mantissa)}e${Number(exponent)}`;
  }
  // Integers keep all their digits; toPrecision would switch to exponent notation.
  const decimals = Math.max(0, significant - 1 - Math.floor(Math.log10(magnitude)));
  return trimZeros(fixed(value, decimals));
}

function fixed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text; // no "-0.00"
}

function trimZeros(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}
