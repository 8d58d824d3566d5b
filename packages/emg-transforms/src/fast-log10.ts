/** 2^-(b - 1023) for each biased exponent b of a normal float64. */
const INVERSE_POWERS_OF_TWO = Float64Array.from({ length: 2047 }, (_, b) => 2 ** (1023 - b));
/** Mantissa intervals [1 + j/1024, 1 + (j+1)/1024): their starts' reciprocals and natural logs. */
const TABLE_BITS = 10;
const INTERVAL_RECIPROCALS = Float64Array.from(
  { length: 1 << TABLE_BITS },
  (_, j) => 1 / (1 + j / (1 << TABLE_BITS)),
);
const INTERVAL_LOGS = Float64Array.from({ length: 1 << TABLE_BITS }, (_, j) =>
  Math.log1p(j / (1 << TABLE_BITS)),
);

/**
 * In-place log10 of positive, finite float64 values, several times faster than
 * calling Math.log10 per value: the exponent comes from the IEEE bits, the
 * mantissa's logarithm from a 1024-entry table plus a cubic for the remainder
 * (|r| < 1/1024). Absolute error below 1e-12, far under the float32 resolution
 * of the results. Other values (0, negative, NaN, Infinity, subnormal) go
 * through Math.log10.
 */
export function log10InPlace(values: Float64Array): void {
  // Int32 (not Uint32) words keep the high word a small integer for the JIT.
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    const high = words[2 * i + 1] as number;
    const biased = (high >>> 20) & 0x7ff;
    if (high < 0 || biased === 0 || biased === 0x7ff) {
      values[i] = Math.log10(x);
      continue;
    }
    // x = m * 2^e, m in [1, 2); m = (1 + j/1024) * (1 + r) with j the top mantissa bits.
    const j = (high >>> (20 - TABLE_BITS)) & ((1 << TABLE_BITS) - 1);
    const r =
      x * (INVERSE_POWERS_OF_TWO[biased] as number) * (INTERVAL_RECIPROCALS[j] as number) - 1;
    const logMantissa = (INTERVAL_LOGS[j] as number) + r * (1 - r * (0.5 - r * (1 / 3 - r * 0.25)));
    values[i] = ((biased - 1023) * Math.LN2 + logMantissa) * Math.LOG10E;
  }
}
