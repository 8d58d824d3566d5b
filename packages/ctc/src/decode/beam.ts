import {
  type CharacterSet,
  charset as defaultCharset,
  type KeyName,
  LabelData,
} from "@emgkit/emg-io";
import type { LanguageModel } from "../lm/language-model.js";
import { CharacterLm } from "./character-lm.js";
import { type CTCDecoder, decodeEachItem } from "./decoder.js";
import { checkTimestamps, type EmissionMatrix, frameCount } from "./emissions.js";
import { Beam, Candidates } from "./hypotheses.js";
import { LabelRanking } from "./label-ranking.js";
import { LabelTrie } from "./label-trie.js";
import { LmTrie } from "./lm-trie.js";
import { logAdd2, logAdd3 } from "./log-add.js";
import { stableTopK } from "./stable-top-k.js";

export interface CTCBeamDecoderOptions {
  /** Prefixes kept after each frame; default 50. */
  beamSize?: number;
  /** Labels tried per frame, highest emissions first; <= 0 for all (default -1). */
  maxLabelsPerTimestep?: number;
  /** Character language model (log10 scores); none by default. */
  lm?: LanguageModel | null;
  /** Weight of the log10 LM score against the natural-log emissions; default 2. */
  lmWeight?: number;
  /** Added per LM-scored character; default 2. */
  insertionBonus?: number;
  /** Key whose label deletes the previous character for the LM; null for none. */
  deleteKey?: KeyName | null;
  charset?: CharacterSet;
}

/** One beam entry: its decoded labels with onsets (L,) and its log probabilities. */
export interface BeamHypothesis {
  labels: Int32Array;
  timestamps: Float64Array;
  /** log p of the prefix, LM terms included: logaddexp(logProbBlank, logProbNonBlank). */
  logProb: number;
  /** Part of the paths that end in a blank. */
  logProbBlank: number;
  /** Part of the paths that end in a label. */
  logProbNonBlank: number;
}

/**
 * emg2qwerty's `CTCBeamDecoder`: lexicon-free CTC prefix beam search over
 * (T, C) natural-log emissions, with an optional character n-gram LM mixed in
 * per character as `lmWeight * log10 score + insertionBonus`. A backspace
 * stays in the decoding but takes back the LM score of the character it
 * deletes; keys outside the LM's vocabulary end the current word. Online:
 * `decode` may be called chunk after chunk, `finish` closes open words.
 *
 * Same results as the Python decoder (labels, onsets, ties, scores), with the
 * work kept in typed arrays: prefixes are integer nodes of a trie, candidates
 * are found by (beam entry, label) rather than by hashing whole sequences, and
 * only candidates that survive pruning create nodes.
 */
export class CTCBeamDecoder implements CTCDecoder {
  readonly beamSize: number;
  readonly maxLabelsPerTimestep: number;
  readonly lmWeight: number;
  readonly insertionBonus: number;
  readonly charset: CharacterSet;
  /** Label of the delete key, or -1. */
  readonly deleteLabel: number;
  private readonly blank: number;
  private readonly lm: CharacterLm | null;
  private readonly ranking: LabelRanking;
  private readonly labelTrie: LabelTrie;
  private readonly lmTrie: LmTrie;
  private beam: Beam;
  private nextBeam: Beam;
  private readonly candidates: Candidates;
  /** Per beam entry: the candidate holding its own prefix this frame, or -1. */
  private readonly ownCandidate: Int32Array;
  /** Per beam entry: first entry whose prefix is this one plus a label, or -1. */
  private readonly firstChild: Int32Array;
  /** Per beam entry: next entry in its parent entry's child list, or -1. */
  private readonly nextSibling: Int32Array;
  /** Open-addressing table from prefix hash to beam entry, for finding parents. */
  private readonly prefixSlots: Int32Array;
  private readonly order: Int32Array;
  /** LM term of the last `extension`. */
  private extensionLmTerm = 0;

  constructor({
    beamSize = 50,
    maxLabelsPerTimestep = -1,
    lm = null,
    lmWeight = 2.0,
    insertionBonus = 2.0,
    deleteKey = "Key.backspace",
    charset = defaultCharset,
  }: CTCBeamDecoderOptions = {}) {
    if (!(Number.isInteger(beamSize) && beamSize >= 1)) {
      throw new RangeError(`beamSize must be a positive integer, not ${beamSize}`);
    }
    this.beamSize = beamSize;
    this.maxLabelsPerTimestep = maxLabelsPerTimestep;
    this.lmWeight = lmWeight;
    this.insertionBonus = insertionBonus;
    this.charset = charset;
    this.deleteLabel = deleteKey === null ? -1 : charset.keyToLabel(deleteKey);
    this.blank = charset.nullClass;
    this.lm = lm === null ? null : new CharacterLm(lm, charset);
    this.ranking = new LabelRanking(charset.numClasses, maxLabelsPerTimestep);
    this.labelTrie = new LabelTrie(this.blank);
    this.lmTrie = new LmTrie(this.lm?.beginWord ?? 0);
    this.beam = new Beam(beamSize);
    this.nextBeam = new Beam(beamSize);
    const candidateCapacity = beamSize * (this.ranking.count + 1);
    this.candidates = new Candidates(candidateCapacity);
    this.order = new Int32Array(candidateCapacity);
    this.ownCandidate = new Int32Array(beamSize);
    this.firstChild = new Int32Array(beamSize);
    this.nextSibling = new Int32Array(beamSize);
    this.prefixSlots = new Int32Array(2 ** Math.ceil(Math.log2(2 * beamSize)));
    this.reset();
  }

  get numClasses(): number {
    return this.charset.numClasses;
  }

  /** Back to the empty prefix with probability 1. */
  reset(): void {
    this.labelTrie.reset();
    this.lmTrie.reset();
    const beam = this.beam;
    beam.count = 1;
    beam.labelNode[0] = 0;
    beam.lmNode[0] = 0;
    beam.pBlank[0] = 0;
    beam.pNonBlank[0] = Number.NEGATIVE_INFINITY;
  }

  /**
   * Advances the search over (T, C) log-probability emissions with one
   * timestamp per frame (T,); returns the best prefix so far with the onset
   * timestamp of each label. With `finish`, closes open words first.
   */
  decode(emissions: EmissionMatrix, timestamps: ArrayLike<number>, finish = false): LabelData {
    const frames = frameCount(emissions, this.numClasses);
    checkTimestamps(timestamps, frames);
    for (let t = 0; t < frames; t++) this.step(emissions, t, timestamps[t] as number);
    return finish ? this.finish() : this.best();
  }

  /**
   * End of input: every prefix with an open word gets the LM score of `</s>`
   * (weighted, no bonus), the beam is re-ranked and the best prefix returned.
   */
  finish(): LabelData {
    const { lm, beam, lmTrie } = this;
    if (lm !== null) {
      for (let i = 0; i < beam.count; i++) {
        const state = lmTrie.state[beam.lmNode[i] as number] as number;
        if (state === lm.beginWord) continue;
        const lmTerm = this.lmWeight * lm.endWord(state);
        beam.pBlank[i] = (beam.pBlank[i] as number) + lmTerm;
        beam.pNonBlank[i] = (beam.pNonBlank[i] as number) + lmTerm;
      }
      this.rerank();
    }
    return this.best();
  }

  /** The `k` best beam entries, best first. */
  bestDecodings(k = 5): BeamHypothesis[] {
    const { beam } = this;
    const hypotheses: BeamHypothesis[] = [];
    for (let i = 0; i < Math.min(k, beam.count); i++) {
      const logProbBlank = beam.pBlank[i] as number;
      const logProbNonBlank = beam.pNonBlank[i] as number;
      hypotheses.push({
        ...this.labelTrie.prefix(beam.labelNode[i] as number),
        logProb: logAdd2(logProbBlank, logProbNonBlank),
        logProbBlank,
        logProbNonBlank,
      });
    }
    return hypotheses;
  }

  /** Each item of (T, N, C) emissions decoded from a reset, as emg2qwerty's `decode_batch`. */
  decodeBatch(emissions: EmissionMatrix, lengths: ArrayLike<number>): LabelData[] {
    return decodeEachItem(emissions, lengths, this.numClasses, (item, timestamps) => {
      this.reset();
      return this.decode(item, timestamps);
    });
  }

  private best(): LabelData {
    const { labels, timestamps } = this.labelTrie.prefix(this.beam.labelNode[0] as number);
    return LabelData.fromLabels(labels, timestamps, this.charset);
  }

  /** One frame: extend every beam entry by the frame's labels, then prune. */
  private step(emissions: EmissionMatrix, t: number, timestamp: number): void {
    const { beam, candidates, ranking, labelTrie, ownCandidate, blank } = this;
    ranking.rank(emissions, t);
    labelTrie.reserve(this.beamSize, beam.labelNode, beam.count);
    if (this.lm !== null) this.lmTrie.reserve(this.beamSize, beam.lmNode, beam.count);
    this.linkChildEntries();
    candidates.count = 0;
    ownCandidate.fill(-1);
    const offset = t * this.numClasses;
    const labels = ranking.labels;
    const labelCount = ranking.count;
    const { pBlank: nextBlank, pNonBlank: nextNonBlank } = candidates;
    for (let i = 0; i < beam.count; i++) {
      const pBlank = beam.pBlank[i] as number;
      const pNonBlank = beam.pNonBlank[i] as number;
      const lastLabel = labelTrie.label[beam.labelNode[i] as number] as number;
      let own = ownCandidate[i] as number;
      if (own < 0) {
        own = candidates.add(beam.labelNode[i] as number, beam.lmNode[i] as number);
        ownCandidate[i] = own;
      }
      for (let r = 0; r < labelCount; r++) {
        const label = labels[r] as number;
        const p = emissions[offset + label] as number;
        if (label === blank) {
          nextBlank[own] = logAdd3(nextBlank[own] as number, pBlank + p, pNonBlank + p);
          continue;
        }
        const extended = this.extension(i, label, timestamp);
        const lmTerm = this.extensionLmTerm;
        if (label === lastLabel) {
          // A repeat without a blank between collapses; with one it is a new label.
          nextNonBlank[own] = logAdd2(nextNonBlank[own] as number, pNonBlank + p);
          nextNonBlank[extended] = logAdd2(nextNonBlank[extended] as number, pBlank + p + lmTerm);
        } else {
          nextNonBlank[extended] = logAdd3(
            nextNonBlank[extended] as number,
            pBlank + p + lmTerm,
            pNonBlank + p + lmTerm,
          );
        }
      }
    }
    this.prune();
  }

  /**
   * The candidate for beam entry i's prefix plus `label`, created on first
   * request. When that prefix is itself a beam entry, both share one candidate;
   * whichever asks first fixes its onset timestamp, as in emg2qwerty. Leaves
   * the LM term of the new character in `extensionLmTerm`.
   */
  private extension(i: number, label: number, timestamp: number): number {
    const { beam, candidates, labelTrie, lmTrie, lm } = this;
    const parentNode = beam.labelNode[i] as number;
    let lmNode = -1;
    let lmParent = -1;
    let lmState = 0;
    let lmScore = 0;
    let lmTerm = 0;
    if (lm !== null) {
      const previous = beam.lmNode[i] as number;
      if (label === this.deleteLabel) {
        // Deleting goes back one LM node and takes back its score (nothing to undo at the root).
        if (lmTrie.isRoot(previous)) {
          lmNode = previous;
        } else {
          lmNode = lmTrie.parent[previous] as number;
          lmTerm = -this.lmWeight * (lmTrie.score[previous] as number) - this.insertionBonus;
        }
      } else {
        lmScore = lm.advance(lmTrie.state[previous] as number, label);
        lmState = lm.nextState;
        lmParent = previous;
        lmTerm = this.lmWeight * lmScore + this.insertionBonus;
      }
    }
    this.extensionLmTerm = lmTerm;
    for (let j = this.firstChild[i] as number; j >= 0; j = this.nextSibling[j] as number) {
      if (labelTrie.label[beam.labelNode[j] as number] !== label) continue;
      let shared = this.ownCandidate[j] as number;
      if (shared < 0) {
        // Same prefix, so the same LM history: entry j's LM node serves.
        shared = candidates.add(-1, beam.lmNode[j] as number);
        this.describeLabelNode(shared, parentNode, label, timestamp);
        this.ownCandidate[j] = shared;
      }
      return shared;
    }
    const c = candidates.add(-1, lmNode);
    this.describeLabelNode(c, parentNode, label, timestamp);
    candidates.lmParent[c] = lmParent;
    candidates.lmState[c] = lmState;
    candidates.lmScore[c] = lmScore;
    return c;
  }

  private describeLabelNode(c: number, parent: number, label: number, onset: number): void {
    this.candidates.labelParent[c] = parent;
    this.candidates.label[c] = label;
    this.candidates.onset[c] = onset;
  }

  /**
   * Links each beam entry to the entry whose prefix is its own minus the last
   * label, if that one is in the beam too: extending the parent by that label
   * must land on the child's candidate, since candidates are keyed by prefix.
   */
  private linkChildEntries(): void {
    const { beam, labelTrie, prefixSlots, firstChild, nextSibling } = this;
    const mask = prefixSlots.length - 1;
    prefixSlots.fill(-1);
    firstChild.fill(-1);
    for (let i = 0; i < beam.count; i++) {
      let slot = (labelTrie.hash[beam.labelNode[i] as number] as number) & mask;
      while ((prefixSlots[slot] as number) >= 0) slot = (slot + 1) & mask;
      prefixSlots[slot] = i;
    }
    for (let j = 0; j < beam.count; j++) {
      const parentNode = labelTrie.parent[beam.labelNode[j] as number] as number;
      if (parentNode < 0) continue;
      for (
        let slot = (labelTrie.hash[parentNode] as number) & mask;
        (prefixSlots[slot] as number) >= 0;
        slot = (slot + 1) & mask
      ) {
        const i = prefixSlots[slot] as number;
        if (labelTrie.samePrefix(beam.labelNode[i] as number, parentNode)) {
          nextSibling[j] = firstChild[i] as number;
          firstChild[i] = j;
          break;
        }
      }
    }
  }

  /** Keeps the `beamSize` most probable candidates (ties: first created first) as the beam. */
  private prune(): void {
    const { candidates, labelTrie, lmTrie, order } = this;
    for (let c = 0; c < candidates.count; c++) {
      candidates.pTotal[c] = logAdd2(
        candidates.pBlank[c] as number,
        candidates.pNonBlank[c] as number,
      );
    }
    const kept = stableTopK(candidates.pTotal, candidates.count, this.beamSize, order);
    const next = this.nextBeam;
    for (let r = 0; r < kept; r++) {
      const c = order[r] as number;
      let labelNode = candidates.labelNode[c] as number;
      if (labelNode < 0) {
        labelNode = labelTrie.extend(
          candidates.labelParent[c] as number,
          candidates.label[c] as number,
          candidates.onset[c] as number,
        );
      }
      let lmNode = candidates.lmNode[c] as number;
      if (lmNode < 0 && this.lm !== null) {
        lmNode = lmTrie.extend(
          candidates.lmParent[c] as number,
          candidates.lmState[c] as number,
          candidates.lmScore[c] as number,
        );
      }
      next.labelNode[r] = labelNode;
      next.lmNode[r] = lmNode;
      next.pBlank[r] = candidates.pBlank[c] as number;
      next.pNonBlank[r] = candidates.pNonBlank[c] as number;
    }
    next.count = kept;
    this.nextBeam = this.beam;
    this.beam = next;
  }

  /** Stable re-sort of the beam by total probability (after `finish` changed it). */
  private rerank(): void {
    const { beam, order } = this;
    const totals = this.candidates.pTotal;
    for (let i = 0; i < beam.count; i++) {
      totals[i] = logAdd2(beam.pBlank[i] as number, beam.pNonBlank[i] as number);
    }
    const count = stableTopK(totals, beam.count, beam.count, order);
    const sorted = this.nextBeam;
    for (let r = 0; r < count; r++) {
      const i = order[r] as number;
      sorted.labelNode[r] = beam.labelNode[i] as number;
      sorted.lmNode[r] = beam.lmNode[i] as number;
      sorted.pBlank[r] = beam.pBlank[i] as number;
      sorted.pNonBlank[r] = beam.pNonBlank[i] as number;
    }
    sorted.count = count;
    this.nextBeam = beam;
    this.beam = sorted;
  }
}
