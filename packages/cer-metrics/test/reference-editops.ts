/**
 * A deliberately plain reference for the tests: python-Levenshtein's editops with the whole
 * cost matrix in memory and one cell per Int32, no bit-parallel rows, no checkpoints.
 * Used to cross-check the library on random inputs without Python.
 */
export function referenceEditOps(prediction: string, target: string): [string, number, number][] {
  const a = Array.from(prediction, (c) => c.codePointAt(0) ?? 0);
  const b = Array.from(target, (c) => c.codePointAt(0) ?? 0);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let endA = a.length;
  let endB = b.length;
  while (endA > prefix && endB > prefix && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const source = a.slice(prefix, endA);
  const dest = b.slice(prefix, endB);
  const width = dest.length + 1;
  const cost = new Int32Array((source.length + 1) * width);
  const at = (i: number, j: number) => cost[i * width + j] as number;
  for (let i = 0; i <= source.length; i++) {
    for (let j = 0; j < width; j++) {
      if (i === 0 || j === 0) {
        cost[i * width + j] = i + j;
        continue;
      }
      const substitution = at(i - 1, j - 1) + (source[i - 1] === dest[j - 1] ? 0 : 1);
      cost[i * width + j] = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, substitution);
    }
  }
  const ops: [string, number, number][] = [];
  let i = source.length;
  let j = dest.length;
  let direction = 0; // -1 after an insert, 1 after a delete, 0 after a diagonal move
  while (i > 0 || j > 0) {
    const here = at(i, j);
    const canInsert = j > 0 && here === at(i, j - 1) + 1;
    const canDelete = i > 0 && here === at(i - 1, j) + 1;
    if (direction < 0 && canInsert) {
      ops.push(["insert", i + prefix, --j + prefix]);
    } else if (direction > 0 && canDelete) {
      ops.push(["delete", --i + prefix, j + prefix]);
    } else if (i > 0 && j > 0 && here === at(i - 1, j - 1) && source[i - 1] === dest[j - 1]) {
      i--;
      j--;
      direction = 0;
    } else if (i > 0 && j > 0 && here === at(i - 1, j - 1) + 1) {
      ops.push(["replace", --i + prefix, --j + prefix]);
      direction = 0;
    } else if (direction === 0 && canInsert) {
      ops.push(["insert", i + prefix, --j + prefix]);
      direction = -1;
    } else if (direction === 0 && canDelete) {
      ops.push(["delete", --i + prefix, j + prefix]);
      direction = 1;
    } else {
      throw new Error(`reference backtrace lost at (${i}, ${j})`);
    }
  }
  return ops.reverse();
}
