/**
 * `np.argsort(values)` with NumPy's default (introsort, not stable) algorithm,
 * as NumPy 1.24 runs it for float64 without SIMD dispatch: median-of-three
 * quicksort down to 16-element runs finished by insertion sort, heapsort past
 * the depth limit. Reproducing it step by step gives the same order among
 * equal values, which decides emg2qwerty's label order (and so candidate
 * order) whenever emissions tie.
 */

/** NumPy's float `less`: NaN sorts after every number. */
function less(a: number, b: number): boolean {
  return a < b || (Number.isNaN(b) && !Number.isNaN(a));
}

/** floor(log2(n)) for n >= 1 (NumPy's `npy_get_msb`). */
function mostSignificantBit(n: number): number {
  let bit = 0;
  for (let rest = n >>> 1; rest > 0; rest >>>= 1) bit++;
  return bit;
}

const SMALL_RUN = 15;

/** Heapsort of order[left..left+n-1] by values (NumPy's `aheapsort_`, 1-based heap). */
function heapsortIndices(values: Float64Array, order: Int32Array, left: number, n: number): void {
  const at = (i: number) => left + i - 1;
  const siftDown = (start: number, top: number, size: number) => {
    let i = start;
    for (let j = start << 1; j <= size; ) {
      if (
        j < size &&
        less(values[order[at(j)] as number] as number, values[order[at(j + 1)] as number] as number)
      ) {
        j++;
      }
      if (less(values[top] as number, values[order[at(j)] as number] as number)) {
        order[at(i)] = order[at(j)] as number;
        i = j;
        j += j;
      } else {
        break;
      }
    }
    order[at(i)] = top;
  };
  for (let l = n >> 1; l > 0; l--) siftDown(l, order[at(l)] as number, n);
  for (let size = n; size > 1; ) {
    const top = order[at(size)] as number;
    order[at(size)] = order[at(1)] as number;
    size--;
    siftDown(1, top, size);
  }
}

/**
 * Sorts `order` (indices 0..n-1 on entry, n = order.length) so that
 * values[order[i]] ascend, with NumPy's tie order.
 */
export function numpyArgsort(values: Float64Array, order: Int32Array): void {
  const n = order.length;
  const v = values;
  const o = order;
  const stack: number[] = [];
  const depths: number[] = [];
  let left = 0;
  let right = n - 1;
  let depth = mostSignificantBit(n) * 2;
  const swap = (a: number, b: number) => {
    const held = o[a] as number;
    o[a] = o[b] as number;
    o[b] = held;
  };
  for (;;) {
    if (depth < 0) {
      heapsortIndices(v, o, left, right - left + 1);
    } else {
      while (right - left > SMALL_RUN) {
        const middle = left + ((right - left) >> 1);
        if (less(v[o[middle] as number] as number, v[o[left] as number] as number))
          swap(middle, left);
        if (less(v[o[right] as number] as number, v[o[middle] as number] as number))
          swap(right, middle);
        if (less(v[o[middle] as number] as number, v[o[left] as number] as number))
          swap(middle, left);
        const pivot = v[o[middle] as number] as number;
        let i = left;
        let j = right - 1;
        swap(middle, j);
        for (;;) {
          do i++;
          while (less(v[o[i] as number] as number, pivot));
          do j--;
          while (less(pivot, v[o[j] as number] as number));
          if (i >= j) break;
          swap(i, j);
        }
        swap(i, right - 1);
        // Continue with the smaller part; the larger waits on the stack.
        if (i - left < right - i) {
          stack.push(i + 1, right);
          right = i - 1;
        } else {
          stack.push(left, i - 1);
          left = i + 1;
        }
        depths.push(--depth);
      }
      for (let i = left + 1; i <= right; i++) {
        const held = o[i] as number;
        const heldValue = v[held] as number;
        let j = i;
        while (j > left && less(heldValue, v[o[j - 1] as number] as number)) {
          o[j] = o[j - 1] as number;
          j--;
        }
        o[j] = held;
      }
    }
    if (stack.length === 0) break;
    right = stack.pop() as number;
    left = stack.pop() as number;
    depth = depths.pop() as number;
  }
}
