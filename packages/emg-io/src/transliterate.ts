import { transliterate } from "transliteration";
import { UNIDECODE_CORRECTIONS } from "./unidecode-corrections.js";

/**
 * ASCII transliteration of one character, equal to Python's `unidecode` where
 * emg2qwerty's charset uses it: whenever unidecode gives a single printable
 * ASCII character (or "\r"), so does this, and the same one; elsewhere the
 * result is some other string ("" or several characters) that the charset
 * ignores. The `transliteration` package does the work; a generated table
 * mends the code points (below U+20000) where the two libraries disagree.
 */
export function transliterateChar(char: string): string {
  const corrected = UNIDECODE_CORRECTIONS.get(char.codePointAt(0) ?? -1);
  return corrected ?? transliterate(char);
}
