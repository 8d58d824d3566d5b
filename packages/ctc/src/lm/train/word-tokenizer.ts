/**
 * Words of English text, in the manner of NLTK's `word_tokenize` (Punkt
 * sentence splitting, then the Treebank rules of `NLTKWordTokenizer`), as far
 * as emg2qwerty's character-LM preprocessing can tell the difference: it only
 * keeps tokens made of letters, so what matters is which letter runs end up
 * standing alone.
 *
 * Kept from the Treebank rules: quotes, brackets, `,` and `:` (unless a digit
 * follows), `;@#$%&?!*`, `--` and `...` become separate tokens; clitics split
 * off (`don't` -> `do n't`, `can't` -> `ca n't`, `John's` -> `John 's`,
 * `they'll` -> `they 'll`, `dogs'` -> `dogs '`); `cannot gimme gonna gotta
 * lemme wanna 'tis 'twas` split as NLTK splits them; single hyphens, slashes,
 * inner periods and inner apostrophes stay inside the token (`well-known`,
 * `and/or`, `U.S.`, `o'clock`).
 *
 * In place of Punkt (a trained model): a period at the end of a
 * whitespace-separated chunk ends a sentence, and so is split off, unless the
 * chunk before it is a single letter (an initial), has an inner period, or is
 * one of {@link ABBREVIATIONS}; the last chunk of the text always ends one.
 * Punkt's learned abbreviation list and its orthographic heuristics
 * (e.g. an abbreviation followed by a capitalised word may still end a
 * sentence) decide some of these cases differently.
 */
export function tokenizeWords(text: string): string[] {
  const chunks = text.split(/\s+/).filter((chunk) => chunk !== "");
  return chunks.flatMap((chunk, index) => tokenizeChunk(chunk, index === chunks.length - 1));
}

/** Abbreviations that keep their period (so emg2qwerty's filter drops them), as Punkt keeps common ones. */
export const ABBREVIATIONS: ReadonlySet<string> = new Set(
  (
    "mr mrs ms messrs dr prof st jr sr mt ft gen gov sen rep rev capt col lt sgt maj adm cmdr " +
    "co corp inc ltd bros vs etc jan feb apr aug sept oct nov dec ave blvd dept univ vol pp fig approx"
  ).split(" "),
);

type Rule = readonly [RegExp, string];

// NLTKWordTokenizer's rules, applied in its order to " chunk ".
const STARTING_QUOTES: readonly Rule[] = [
  [/([«“‘„]|`+)/gu, " $1 "],
  [/([ ([{<])("|'{2})/g, "$1 `` "],
  [/(')(?!re|ve|ll|m|t|s|d|n)([\p{L}\p{N}_])(?![\p{L}\p{N}_])/giu, "$1 $2"],
];
const PUNCTUATION: readonly Rule[] = [
  [/([:,])([^\d])/g, " $1 $2"],
  [/\.{2,}/g, " $& "],
  [/[;@#$%&?!*]/g, " $& "],
  [/([^'])' /g, "$1 ' "],
  [/[\][(){}<>]/g, " $& "],
  [/--/g, " -- "],
];
const ENDING_QUOTES: readonly Rule[] = [
  [/([»”’])/gu, " $1 "],
  [/''/g, " '' "],
  [/"/g, " '' "],
  [/([^' ])('[sS]|'[mM]|'[dD]|') /g, "$1 $2 "],
  [/([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) /g, "$1 $2 "],
];
const CONTRACTIONS: readonly Rule[] = [
  [/\b(can)(not)\b/gi, " $1 $2 "],
  [/\b(d)('ye)\b/gi, " $1 $2 "],
  [/\b(gim)(me)\b/gi, " $1 $2 "],
  [/\b(gon)(na)\b/gi, " $1 $2 "],
  [/\b(got)(ta)\b/gi, " $1 $2 "],
  [/\b(lem)(me)\b/gi, " $1 $2 "],
  [/\b(more)('n)\b/gi, " $1 $2 "],
  [/\b(wan)(na)(?=\s)/gi, " $1 $2 "],
  [/ ('t)(is)\b/gi, " $1 $2 "],
  [/ ('t)(was)\b/gi, " $1 $2 "],
];

/** Treebank's sentence-final period: after a non-period, before closing brackets/quotes. */
const FINAL_PERIOD = /([^.])(\.)([\])}>"']*)\s*$/;

/** Chunks no rule changes: letters only, other than the multi-word contractions. */
const PLAIN_WORD = /^(?!(?:cannot|gimme|gonna|gotta|lemme|wanna)$)[a-z]+$/i;

function tokenizeChunk(chunk: string, lastInText: boolean): string[] {
  if (PLAIN_WORD.test(chunk)) return [chunk];
  let text = ` ${chunk} `;
  for (const [pattern, replacement] of STARTING_QUOTES) text = text.replace(pattern, replacement);
  if (lastInText || endsSentence(chunk)) text = text.replace(FINAL_PERIOD, "$1 $2 $3 ");
  for (const [pattern, replacement] of PUNCTUATION) text = text.replace(pattern, replacement);
  text = ` ${text} `;
  for (const [pattern, replacement] of ENDING_QUOTES) text = text.replace(pattern, replacement);
  for (const [pattern, replacement] of CONTRACTIONS) text = text.replace(pattern, replacement);
  return text.split(" ").filter((token) => token !== "");
}

/** Whether a chunk's final period (if any) ends a sentence, standing in for Punkt. */
function endsSentence(chunk: string): boolean {
  const match = /^[^\p{L}]*([\p{L}.'-]*?)\.[\])}>"']*$/u.exec(chunk);
  if (match === null) return false;
  const word = match[1] ?? "";
  if (word.length <= 1 || word.includes(".")) return false;
  return !ABBREVIATIONS.has(word.toLowerCase());
}
