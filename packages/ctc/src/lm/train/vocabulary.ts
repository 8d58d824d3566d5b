/** Word id of `<unk>`, as lmplz numbers it. */
export const UNK_ID = 0;
/** Word id of `<s>` (sentence start). */
export const BOS_ID = 1;
/** Word id of `</s>` (sentence end). */
export const EOS_ID = 2;

const SPECIAL_TOKENS = ["<unk>", "<s>", "</s>"] as const;

/**
 * Word <-> id, numbered as lmplz numbers them: `<unk>` 0, `<s>` 1, `</s>` 2,
 * then the corpus words in order of first appearance (the order of lmplz's
 * ARPA unigram section).
 */
export class Vocabulary {
  private readonly idByWord = new Map<string, number>(
    SPECIAL_TOKENS.map((token, id) => [token, id]),
  );
  /** Words by id. */
  readonly words: string[] = [...SPECIAL_TOKENS];

  get size(): number {
    return this.words.length;
  }

  /** Id of a corpus word, numbering it if new; throws on the special tokens, as lmplz does. */
  idOfCorpusWord(word: string): number {
    const known = this.idByWord.get(word);
    if (known !== undefined) {
      if (known < SPECIAL_TOKENS.length) {
        throw new Error(
          `the corpus contains the special token ${word}; lmplz refuses it too (its --skip_symbols would read it as whitespace)`,
        );
      }
      return known;
    }
    const id = this.words.length;
    this.words.push(word);
    this.idByWord.set(word, id);
    return id;
  }

  /** Id of a word, or {@link UNK_ID} when it is not in the vocabulary. */
  idOf(word: string): number {
    return this.idByWord.get(word) ?? UNK_ID;
  }
}
