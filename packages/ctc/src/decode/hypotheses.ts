/**
 * Beam entries, struct-of-arrays: each a label-trie node (the decoded prefix
 * with its onsets), a language-model trie node, and the log probabilities of
 * the prefix's paths that end in a blank and in a label.
 */
export class Beam {
  count = 0;
  readonly labelNode: Int32Array;
  readonly lmNode: Int32Array;
  readonly pBlank: Float64Array;
  readonly pNonBlank: Float64Array;

  constructor(capacity: number) {
    this.labelNode = new Int32Array(capacity);
    this.lmNode = new Int32Array(capacity);
    this.pBlank = new Float64Array(capacity);
    this.pNonBlank = new Float64Array(capacity);
  }
}

/**
 * The next frame's candidates, in creation order (which breaks ties between
 * equal probabilities). A candidate either reuses trie nodes or describes the
 * nodes it would add (node -1); only candidates that survive pruning add them,
 * so discarded extensions never touch the tries.
 */
export class Candidates {
  count = 0;
  /** Existing label node, or -1: add (labelParent, label, onset). */
  readonly labelNode: Int32Array;
  readonly labelParent: Int32Array;
  readonly label: Int32Array;
  readonly onset: Float64Array;
  /** Existing LM node, or -1: add (lmParent, lmState, lmScore). */
  readonly lmNode: Int32Array;
  readonly lmParent: Int32Array;
  readonly lmState: Int32Array;
  readonly lmScore: Float64Array;
  readonly pBlank: Float64Array;
  readonly pNonBlank: Float64Array;
  /** log(exp(pBlank) + exp(pNonBlank)), filled when pruning. */
  readonly pTotal: Float64Array;

  constructor(capacity: number) {
    this.labelNode = new Int32Array(capacity);
    this.labelParent = new Int32Array(capacity);
    this.label = new Int32Array(capacity);
    this.onset = new Float64Array(capacity);
    this.lmNode = new Int32Array(capacity);
    this.lmParent = new Int32Array(capacity);
    this.lmState = new Int32Array(capacity);
    this.lmScore = new Float64Array(capacity);
    this.pBlank = new Float64Array(capacity);
    this.pNonBlank = new Float64Array(capacity);
    this.pTotal = new Float64Array(capacity);
  }

  /** A candidate with no probability yet; returns its index. */
  add(labelNode: number, lmNode: number): number {
    const c = this.count++;
    this.labelNode[c] = labelNode;
    this.lmNode[c] = lmNode;
    this.pBlank[c] = Number.NEGATIVE_INFINITY;
    this.pNonBlank[c] = Number.NEGATIVE_INFINITY;
    return c;
  }
}
