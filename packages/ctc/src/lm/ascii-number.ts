/** Exact powers of ten: up to 1e22 every one is a double without rounding. */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, exponent) => 10 ** exponent);
const MAX_EXACT_DIGITS = 15;
const latin1 = new TextDecoder("latin1");

/**
 * Reads a decimal number (`-1.2457715`, `0`, `-4.2e-05`) from ASCII bytes
 * without making a string, O(length). Returns NaN unless bytes[start, end)
 * is exactly one number.
 *
 * Up to 15 significant digits and |exponent| <= 22 the result is the correctly
 * rounded double (one exact integer divided or multiplied by an exact power of
 * ten); longer forms, rare in ARPA files, go through `Number`.
 */
export function parseAsciiNumber(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  const negative = bytes[i] === 0x2d;
  if (negative || bytes[i] === 0x2b) i++;
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = 0;
  let sawDigit = false;
  for (; i < end; i++) {
    const digit = (bytes[i] as number) - 0x30;
    if (digit < 0 || digit > 9) break;
    mantissa = mantissa * 10 + digit;
    if (mantissa > 0) digits++;
    sawDigit = true;
  }
  if (bytes[i] === 0x2e && i < end) {
    for (i++; i < end; i++) {
      const digit = (bytes[i] as number) - 0x30;
      if (digit < 0 || digit > 9) break;
      mantissa = mantissa * 10 + digit;
      if (mantissa > 0) digits++;
      fractionDigits++;
      sawDigit = true;
    }
  }
  if (!sawDigit) return Number.NaN;
  let exponent = 0;
  if (i < end && (bytes[i] === 0x65 || bytes[i] === 0x45)) {
    i++;
    const negativeExponent = bytes[i] === 0x2d;
    if (negativeExponent || bytes[i] === 0x2b) i++;
    const exponentStart = i;
    for (; i < end; i++) {
      const digit = (bytes[i] as number) - 0x30;
      if (digit < 0 || digit > 9) break;
      exponent = exponent * 10 + digit;
    }
    if (i === exponentStart) return Number.NaN;
    if (negativeExponent) exponent = -exponent;
  }
  if (i !== end) return Number.NaN;
  const scale = exponent - fractionDigits;
  if (digits > MAX_EXACT_DIGITS || scale < -22 || scale > 22) {
    return Number(latin1.decode(bytes.subarray(start, end)));
  }
  const magnitude =
    scale < 0
      ? mantissa / (EXACT_POWERS_OF_TEN[-scale] as number)
      : mantissa * (EXACT_POWERS_OF_TEN[scale] as number);
  return negative ? -magnitude : magnitude;
}
