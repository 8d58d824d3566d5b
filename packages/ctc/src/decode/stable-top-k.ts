/**
 * Writes to `out` the indices of the `k` highest of scores[0..count-1], highest
 * first, equal scores in index order: the head of a stable descending sort
 * (Python's `sorted(..., reverse=True)[:k]`) without sorting the rest.
 * Returns how many were written, min(k, count).
 */
export function stableTopK(
  scores: Float64Array,
  count: number,
  k: number,
  out: Int32Array,
): number {
  let filled = 0;
  for (let i = 0; i < count; i++) {
    const score = scores[i] as number;
    if (filled === k && !(score > (scores[out[k - 1] as number] as number))) continue;
    // After every kept score >= this one: ties stay in index order.
    let low = 0;
    let high = filled;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((scores[out[middle] as number] as number) < score) high = middle;
      else low = middle + 1;
    }
    if (filled < k) filled++;
    out.copyWithin(low + 1, low, filled - 1);
    out[low] = i;
  }
  return filled;
}
