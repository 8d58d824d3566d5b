import { tokenizeWords } from "./word-tokenizer.js";

/** emg2qwerty's LM vocabulary: the alphabetic characters of its charset, lower-cased (a-z). */
const LM_WORD = /^[a-z]+$/;

/**
 * emg2qwerty's `preprocess_char_lm.py` on one text: its words
 * ({@link tokenizeWords} in place of NLTK's `word_tokenize`), lower-cased
 * (`toLowerCase`, which like Python's `lower()` maps e.g. the Kelvin sign to
 * `k`), those made only of a-z kept, each as one line of space-separated
 * characters: "the cat" -> ["t h e", "c a t"]. A character n-gram model
 * trained on these lines never spans words; `<s>`/`</s>` mark word boundaries.
 */
export function prepareCharLmLines(text: string): string[] {
  const lines: string[] = [];
  for (const token of tokenizeWords(text)) {
    const word = token.toLowerCase();
    if (LM_WORD.test(word)) lines.push(word.split("").join(" "));
  }
  return lines;
}

/** {@link prepareCharLmLines} as the text of lmplz's input file: each line ends with "\n". */
export function prepareCharLmText(text: string): string {
  return prepareCharLmLines(text)
    .map((line) => `${line}\n`)
    .join("");
}
