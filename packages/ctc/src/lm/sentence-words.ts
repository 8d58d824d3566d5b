/** KenLM's `kSpaces` (tab, LF, VT, FF, CR, space): what its C++ `ScoreSentence` splits on. */
const KENLM_SPACES = /[\t\n\v\f\r ]+/;
/** What Python's `str.split()` splits on (`str.isspace` characters). */
const PYTHON_WHITESPACE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: U+001C..U+001F are whitespace to Python.
  /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/**
 * The words KenLM's Python `Model.score(sentence, bos, eos)` scores. With bos
 * and eos it hands the UTF-8 C string to C++ `ScoreSentence`, which ends at a
 * NUL and splits on ASCII whitespace only; otherwise it scores
 * `sentence.split()`, which also splits on Unicode spaces such as U+00A0.
 */
export function sentenceWords(sentence: string, bos: boolean, eos: boolean): string[] {
  if (bos && eos) {
    const nul = sentence.indexOf("\0");
    return splitNonEmpty(nul < 0 ? sentence : sentence.slice(0, nul), KENLM_SPACES);
  }
  return splitNonEmpty(sentence, PYTHON_WHITESPACE);
}

function splitNonEmpty(text: string, separators: RegExp): string[] {
  return text.split(separators).filter((word) => word.length > 0);
}
