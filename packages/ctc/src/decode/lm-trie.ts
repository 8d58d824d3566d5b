import { NodeArena, resized } from "./node-arena.js";

/**
 * Language-model history of a beam: node 0 holds the `<s>` state, every other
 * node the state after one more scored character and that character's log10
 * score. A backspace moves a prefix back to the parent node, which is how the
 * score of a deleted character is undone (emg2qwerty's second trie).
 */
export class LmTrie extends NodeArena {
  /** Language-model state after the node's character. */
  state: Int32Array;
  /** log10 score the character received. */
  score: Float64Array;
  private readonly rootState: number;

  constructor(rootState: number, capacity = 4096) {
    super(capacity);
    this.rootState = rootState;
    this.state = new Int32Array(capacity);
    this.score = new Float64Array(capacity);
    this.reset();
  }

  /** Back to the root alone (node 0). */
  reset(): void {
    this.clear();
    const root = this.allocateNode(-1);
    this.state[root] = this.rootState;
    this.score[root] = 0;
  }

  extend(parent: number, state: number, score: number): number {
    const node = this.allocateNode(parent);
    this.state[node] = state;
    this.score[node] = score;
    return node;
  }

  isRoot(node: number): boolean {
    return (this.parent[node] as number) < 0;
  }

  protected resizeColumns(capacity: number): void {
    this.state = resized(this.state, capacity, this.size);
    this.score = resized(this.score, capacity, this.size);
  }

  protected moveColumns(from: number, to: number): void {
    this.state[to] = this.state[from] as number;
    this.score[to] = this.score[from] as number;
  }
}
