const f = Math.fround;

/**
 * How many n-grams of one order have adjusted count 1, 2, 3 and 4: the
 * statistics behind the closed-form Kneser-Ney discounts.
 */
export interface CountsOfCounts {
  readonly n1: number;
  readonly n2: number;
  readonly n3: number;
  readonly n4: number;
}

/** The modified Kneser-Ney discounts of one order. */
export interface KneserNeyDiscount {
  /** Subtracted from adjusted count 1. */
  readonly d1: number;
  /** Subtracted from adjusted count 2. */
  readonly d2: number;
  /** Subtracted from adjusted counts 3 and more. */
  readonly d3Plus: number;
  /** True when the closed form failed and the fallback discounts were used. */
  readonly fallback: boolean;
}

/** lmplz's `--discount_fallback` without values: D1 0.5, D2 1, D3+ 1.5. */
export const DEFAULT_FALLBACK_DISCOUNTS: readonly [number, number, number] = [0.5, 1, 1.5];

/** Counts of counts 1..4 of one order's adjusted counts. */
export function countCounts(adjustedCounts: Uint32Array): CountsOfCounts {
  const n = [0, 0, 0, 0, 0];
  for (const count of adjustedCounts) if (count >= 1 && count <= 4) n[count] = (n[count] ?? 0) + 1;
  return { n1: n[1] ?? 0, n2: n[2] ?? 0, n3: n[3] ?? 0, n4: n[4] ?? 0 };
}

/**
 * Chen & Goodman's closed-form discounts (their eq. 26), in float32 step by
 * step as lmplz computes them:
 * Y = n1 / (n1 + 2 n2), Dj = j - (j + 1) Y n(j+1) / nj for j = 1, 2, 3.
 * When some of n1, n2, n3 is 0 or some Dj falls outside [0, j], uses
 * `fallback` (lmplz's `--discount_fallback`) or, without one, throws.
 */
export function kneserNeyDiscount(
  counts: CountsOfCounts,
  order: number,
  fallback: readonly [number, number, number] | undefined,
): KneserNeyDiscount {
  const problem = closedFormProblem(counts);
  if (problem === undefined) {
    const n = [0, counts.n1, counts.n2, counts.n3, counts.n4];
    const y = f(f(counts.n1) / f(counts.n1 + 2 * counts.n2));
    const [d1, d2, d3Plus] = [1, 2, 3].map((j) =>
      f(f(j) - f(f(f(f(j + 1) * y) * f(n[j + 1] ?? 0)) / f(n[j] ?? 0))),
    ) as [number, number, number];
    const outOfRange = [d1, d2, d3Plus].findIndex((d, i) => d < 0 || d > i + 1);
    if (outOfRange < 0) return { d1, d2, d3Plus, fallback: false };
    return fallbackDiscount(
      `the ${order}-gram discount for adjusted count ${outOfRange + 1} is out of range (${[d1, d2, d3Plus][outOfRange]})`,
      fallback,
    );
  }
  return fallbackDiscount(problem.replace("ORDER", String(order)), fallback);
}

function closedFormProblem(counts: CountsOfCounts): string | undefined {
  const missing = [counts.n1, counts.n2, counts.n3].indexOf(0);
  if (missing < 0) return undefined;
  return `no ORDER-grams have adjusted count ${missing + 1}, so Kneser-Ney discounts cannot be estimated (small or artificial data?)`;
}

function fallbackDiscount(
  problem: string,
  fallback: readonly [number, number, number] | undefined,
): KneserNeyDiscount {
  if (fallback === undefined) {
    throw new Error(
      `trainKneserNey: ${problem}; pass discountFallback: true to use D1 0.5, D2 1, D3+ 1.5 instead`,
    );
  }
  const [d1, d2, d3Plus] = fallback;
  return { d1, d2, d3Plus, fallback: true };
}

/**
 * Validates a `discountFallback` option as lmplz parses `--discount_fallback`:
 * 1 to 3 values (the last repeats), value j in [0, j]; `true` means
 * {@link DEFAULT_FALLBACK_DISCOUNTS}, `false`/`undefined` means none.
 */
export function parseDiscountFallback(
  option: boolean | readonly number[] | undefined,
): readonly [number, number, number] | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return DEFAULT_FALLBACK_DISCOUNTS;
  if (!Array.isArray(option) || option.length < 1 || option.length > 3) {
    throw new RangeError(
      "trainKneserNey: discountFallback takes 1 to 3 discounts (for counts 1, 2, 3+)",
    );
  }
  const values = [0, 1, 2].map((i) => f(option[Math.min(i, option.length - 1)] ?? Number.NaN));
  values.forEach((d, i) => {
    if (!(d >= 0 && d <= i + 1)) {
      throw new RangeError(
        `trainKneserNey: fallback discount for count ${i + 1} must be in [0, ${i + 1}], got ${d}`,
      );
    }
  });
  return values as [number, number, number];
}
