/**
 * A float32 value written as KenLM writes ARPA numbers (double-conversion's
 * `ToShortestSingle`): the fewest significant digits that read back as the
 * same float32, decimal notation from 1e-6 on and exponent notation below.
 */
export function formatKenLmFloat(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const single = Math.fround(value);
  for (let digits = 1; digits < 9; digits++) {
    const shortest = Number(single.toPrecision(digits));
    if (Math.fround(shortest) === single) return String(shortest);
  }
  return String(Number(single.toPrecision(9)));
}
