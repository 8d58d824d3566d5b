import type { CharacterSet } from "@emgkit/emg-io";
import type { LanguageModel } from "../lm/language-model.js";

const END_OF_WORD = "</s>";
const UNKNOWN = "<unk>";

/**
 * emg2qwerty's use of a character n-gram model while typing: keys in the
 * model's vocabulary are scored in context; any other key (space, capitals,
 * enter...) ends the current word with `</s>` and starts the next at `<s>`,
 * and one right after `<s>` gets the `<unk>` unigram score instead.
 */
export class CharacterLm {
  /** The `<s>` state, where every word starts. */
  readonly beginWord: number;
  /** State after the last `advance`. */
  nextState = 0;
  private readonly lm: LanguageModel;
  private readonly scratch = new Int32Array(1);
  /** Vocabulary index of each key label, or -1 when the key is not in it. */
  private readonly tokenOfLabel: Int32Array;
  private readonly endOfWord: number;
  private readonly unknownScore: number;

  constructor(lm: LanguageModel, charset: CharacterSet) {
    this.lm = lm;
    this.beginWord = lm.beginSentence;
    this.tokenOfLabel = new Int32Array(charset.size);
    for (let label = 0; label < charset.size; label++) {
      const key = charset.labelToKey(label);
      this.tokenOfLabel[label] = lm.has(key) ? lm.index(key) : -1;
    }
    this.endOfWord = lm.index(END_OF_WORD);
    this.unknownScore = lm.score(UNKNOWN, { bos: false, eos: false });
  }

  /** log10 score of typing key `label` in `state` (not a backspace); sets `nextState`. */
  advance(state: number, label: number): number {
    const token = this.tokenOfLabel[label] as number;
    if (token >= 0) {
      const score = this.lm.baseScore(state, token, this.scratch);
      this.nextState = this.scratch[0] as number;
      return score;
    }
    this.nextState = this.beginWord;
    return state === this.beginWord ? this.unknownScore : this.endWord(state);
  }

  /** log10 score of ending the word open in `state` with `</s>`. */
  endWord(state: number): number {
    return this.lm.baseScore(state, this.endOfWord, this.scratch);
  }
}
