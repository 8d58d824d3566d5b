/**
 * Tree nodes stored as integer ids in typed arrays, each knowing only its
 * parent (children are never looked up, so pruned branches cost nothing until
 * collected). Ids grow with creation and a child's id is always above its
 * parent's. `reserve` collects the nodes no live root reaches, keeping order,
 * and grows the arrays when collection does not free enough: the arena stays
 * proportional to what the beam can still reach, however long the stream.
 */
export abstract class NodeArena {
  /** Parent of each node; -1 at a root. */
  parent: Int32Array;
  /** Nodes in use: ids 0..size-1. */
  size = 0;
  private newIds: Int32Array;

  protected constructor(capacity: number) {
    this.parent = new Int32Array(capacity);
    this.newIds = new Int32Array(capacity);
  }

  get capacity(): number {
    return this.parent.length;
  }

  /**
   * Makes room for `count` more nodes. May renumber nodes: the ids in
   * roots[0..rootCount-1] (the nodes still in use) are rewritten in place.
   */
  reserve(count: number, roots: Int32Array, rootCount: number): void {
    if (this.size + count <= this.capacity) return;
    this.collect(roots, rootCount);
    // Grow when collection left the arena over half full, so collections stay rare.
    if (2 * (this.size + count) > this.capacity) {
      this.reallocate(Math.max(2 * this.capacity, 2 * (this.size + count)));
    }
  }

  /** Drops every node. */
  protected clear(): void {
    this.size = 0;
  }

  protected allocateNode(parent: number): number {
    if (this.size === this.capacity) this.reallocate(2 * this.capacity);
    const node = this.size++;
    this.parent[node] = parent;
    return node;
  }

  /** Resizes the columns a subclass adds, keeping nodes 0..size-1. */
  protected abstract resizeColumns(capacity: number): void;
  /** Copies the subclass columns of node `from` to node `to` (to <= from). */
  protected abstract moveColumns(from: number, to: number): void;

  private reallocate(capacity: number): void {
    const parent = new Int32Array(capacity);
    parent.set(this.parent.subarray(0, this.size));
    this.parent = parent;
    this.newIds = new Int32Array(capacity);
    this.resizeColumns(capacity);
  }

  private collect(roots: Int32Array, rootCount: number): void {
    const { parent, newIds, size } = this;
    newIds.fill(0, 0, size);
    // Mark: 1 on every node a root reaches; stop where a walk meets marked ground.
    for (let r = 0; r < rootCount; r++) {
      for (let node = roots[r] as number; node >= 0 && newIds[node] === 0; ) {
        newIds[node] = 1;
        node = parent[node] as number;
      }
    }
    // Compact in id order, so parents keep coming before their children.
    let next = 0;
    for (let node = 0; node < size; node++) {
      if (newIds[node] === 0) continue;
      const parentId = parent[node] as number;
      parent[next] = parentId < 0 ? -1 : (newIds[parentId] as number);
      this.moveColumns(node, next);
      newIds[node] = next++;
    }
    this.size = next;
    for (let r = 0; r < rootCount; r++) roots[r] = newIds[roots[r] as number] as number;
  }
}

/** A copy of `array` with `capacity` elements, keeping the first `keep`. */
export function resized<A extends Int32Array | Float64Array>(
  array: A,
  capacity: number,
  keep: number,
): A {
  const copy = new (array.constructor as new (length: number) => A)(capacity);
  copy.set(array.subarray(0, keep));
  return copy;
}
