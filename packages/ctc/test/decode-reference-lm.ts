import type { LanguageModel } from "../src/lm/language-model.js";

/**
 * The golden script's KenLM stand-in (scripts/kenlm_compat) in TypeScript:
 * ARPA back-off scoring in float64, states holding the whole last order - 1
 * words. Lets the decoder be checked against emg2qwerty to the last bits,
 * apart from any float32 rounding a production LM does.
 */
export class ReferenceLm implements LanguageModel {
  readonly order: number;
  readonly beginSentence: number;
  readonly nullContext: number;
  private readonly tokens: string[] = ["<unk>"];
  private readonly tokenIndex = new Map<string, number>([["<unk>", 0]]);
  private readonly probability = new Map<string, number>();
  private readonly backoff = new Map<string, number>();
  /** Contexts (words, most recent first, joined by spaces) by state. */
  private readonly contexts: string[][] = [];
  private readonly stateOf = new Map<string, number>();

  constructor(arpa: string) {
    let section = 0;
    let order = 0;
    for (const raw of arpa.split("\n")) {
      const line = raw.trim();
      if (!line || line.startsWith("\\data\\") || line.startsWith("ngram ")) continue;
      const header = /^\\(\d+)-grams:$/.exec(line);
      if (header) {
        section = Number(header[1]);
        order = Math.max(order, section);
        continue;
      }
      if (line === "\\end\\") break;
      const fields = line.split("\t");
      const words = fields[1] as string;
      this.probability.set(words, Number(fields[0]));
      if (fields.length > 2) this.backoff.set(words, Number(fields[2]));
      if (section === 1 && !this.tokenIndex.has(words)) {
        this.tokenIndex.set(words, this.tokens.length);
        this.tokens.push(words);
      }
    }
    this.order = order;
    this.beginSentence = this.state(["<s>"]);
    this.nullContext = this.state([]);
  }

  index(token: string): number {
    return this.tokenIndex.get(token) ?? 0;
  }

  has(token: string): boolean {
    return this.index(token) !== 0;
  }

  baseScore(state: number, word: number, next: Int32Array): number {
    const token = this.tokens[word] as string;
    const context = this.contexts[state] as string[];
    let score = 0;
    for (let k = Math.min(context.length, this.order - 1); k >= 0; k--) {
      const history = context.slice(0, k).reverse();
      const ngram = [...history, token].join(" ");
      const probability = this.probability.get(ngram);
      if (probability !== undefined) {
        score += probability;
        break;
      }
      score += this.backoff.get(history.join(" ")) ?? 0;
    }
    next[0] =
      word === 0 ? this.nullContext : this.state([token, ...context].slice(0, this.order - 1));
    return score;
  }

  score(
    sentence: string,
    { bos = true, eos = true }: { bos?: boolean; eos?: boolean } = {},
  ): number {
    const words = sentence.split(/\s+/).filter((w) => w.length > 0);
    if (eos) words.push("</s>");
    const next = new Int32Array(1);
    let state = bos ? this.beginSentence : this.nullContext;
    let total = 0;
    for (const word of words) {
      total += this.baseScore(state, this.index(word), next);
      state = next[0] as number;
    }
    return total;
  }

  private state(words: string[]): number {
    const key = words.join(" ");
    let state = this.stateOf.get(key);
    if (state === undefined) {
      state = this.contexts.length;
      this.contexts.push(words);
      this.stateOf.set(key, state);
    }
    return state;
  }
}
