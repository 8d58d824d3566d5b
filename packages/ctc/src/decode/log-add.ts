/**
 * log(exp(a) + exp(b)) and log(exp(a) + exp(b) + exp(c)), evaluated exactly as
 * emg2qwerty's `logsumexp(*xs)` does (max first, then the exponentials summed
 * left to right) so that scores agree to the last bit wherever libm agrees.
 * Separate two- and three-term forms keep the beam's inner loop free of arrays.
 */
export function logAdd2(a: number, b: number): number {
  const max = Math.max(a, b);
  if (max === Number.NEGATIVE_INFINITY) return max;
  return max + Math.log(Math.exp(a - max) + Math.exp(b - max));
}

export function logAdd3(a: number, b: number, c: number): number {
  const max = Math.max(a, b, c);
  if (max === Number.NEGATIVE_INFINITY) return max;
  return max + Math.log(Math.exp(a - max) + Math.exp(b - max) + Math.exp(c - max));
}
