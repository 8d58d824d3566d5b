import { NodeArena, resized } from "./node-arena.js";

const ROOT_HASH = 0x2545f491;

/**
 * Decoded label prefixes of a beam: node 0 is the empty prefix, every other
 * node adds one label with the onset timestamp at which that label was first
 * decoded on its path. One prefix may live in several nodes with different
 * onsets (emg2qwerty's trie allows duplicate children for this reason), so
 * prefixes are compared with `samePrefix`, helped by a rolling hash.
 */
export class LabelTrie extends NodeArena {
  /** Last label of each node's prefix; the blank at the root. */
  label: Int32Array;
  /** Onset timestamp of that label; 0 at the root. */
  timestamp: Float64Array;
  /** Hash of the whole label sequence of the prefix. */
  hash: Int32Array;
  private readonly blank: number;

  constructor(blank: number, capacity = 4096) {
    super(capacity);
    this.blank = blank;
    this.label = new Int32Array(capacity);
    this.timestamp = new Float64Array(capacity);
    this.hash = new Int32Array(capacity);
    this.reset();
  }

  /** Back to the root alone (node 0). */
  reset(): void {
    this.clear();
    const root = this.allocateNode(-1);
    this.label[root] = this.blank;
    this.timestamp[root] = 0;
    this.hash[root] = ROOT_HASH;
  }

  /** New node: `parent`'s prefix followed by `label`, first decoded at `timestamp`. */
  extend(parent: number, label: number, timestamp: number): number {
    const node = this.allocateNode(parent);
    this.label[node] = label;
    this.timestamp[node] = timestamp;
    this.hash[node] = prefixHash(this.hash[parent] as number, label);
    return node;
  }

  /** Whether two nodes hold the same label sequence (onsets aside). */
  samePrefix(a: number, b: number): boolean {
    if (this.hash[a] !== this.hash[b]) return false;
    const { label, parent } = this;
    // Duplicate paths share their older part, so the walk ends where they meet.
    while (a !== b) {
      if (a < 0 || b < 0 || label[a] !== label[b]) return false;
      a = parent[a] as number;
      b = parent[b] as number;
    }
    return true;
  }

  /** Number of labels in the prefix of `node`. */
  depth(node: number): number {
    let depth = 0;
    for (let at = this.parent[node] as number; at >= 0; at = this.parent[at] as number) depth++;
    return depth;
  }

  /** Labels and onset timestamps of the prefix of `node`, oldest first, shapes (L,). */
  prefix(node: number): { labels: Int32Array; timestamps: Float64Array } {
    const length = this.depth(node);
    const labels = new Int32Array(length);
    const timestamps = new Float64Array(length);
    for (let i = length - 1, at = node; i >= 0; i--, at = this.parent[at] as number) {
      labels[i] = this.label[at] as number;
      timestamps[i] = this.timestamp[at] as number;
    }
    return { labels, timestamps };
  }

  protected resizeColumns(capacity: number): void {
    this.label = resized(this.label, capacity, this.size);
    this.timestamp = resized(this.timestamp, capacity, this.size);
    this.hash = resized(this.hash, capacity, this.size);
  }

  protected moveColumns(from: number, to: number): void {
    this.label[to] = this.label[from] as number;
    this.timestamp[to] = this.timestamp[from] as number;
    this.hash[to] = this.hash[from] as number;
  }
}

/** Hash of a prefix extended by one label (a multiply-xorshift mix). */
function prefixHash(parentHash: number, label: number): number {
  let h = Math.imul(parentHash ^ (label + 0x9e3779b9), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
