/**
 * A deliberately plain ARPA reader and back-off scorer (string keys), so the
 * trainer's output is checked by code that shares nothing with it.
 */
export interface ParsedArpa {
  /** `ngram n=` counts of the header, index n-1. */
  readonly declaredCounts: number[];
  /** Entries per order, index n-1, keyed by the space-joined words. */
  readonly entries: Map<string, { logProb: number; logBackoff: number | undefined }>[];
}

export function parseArpa(text: string): ParsedArpa {
  const lines = text.split("\n");
  if (lines[0] !== "\\data\\") throw new Error("no \\data\\ header");
  const declaredCounts: number[] = [];
  let i = 1;
  for (; lines[i]?.startsWith("ngram "); i++) {
    const match = /^ngram (\d+)=(\d+)$/.exec(lines[i] ?? "");
    if (match === null || Number(match[1]) !== declaredCounts.length + 1)
      throw new Error(`bad header line ${lines[i]}`);
    declaredCounts.push(Number(match[2]));
  }
  const entries: ParsedArpa["entries"] = [];
  for (; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line === "" || line === "\\end\\") continue;
    const section = /^\\(\d+)-grams:$/.exec(line);
    if (section !== null) {
      if (Number(section[1]) !== entries.length + 1)
        throw new Error(`section out of order: ${line}`);
      entries.push(new Map());
      continue;
    }
    const fields = line.split("\t");
    const order = entries.length;
    const words = fields[1] ?? "";
    if (words.split(" ").length !== order)
      throw new Error(`wrong order in ${order}-gram line: ${line}`);
    const highest = order === declaredCounts.length;
    if (fields.length !== (highest ? 2 : 3)) throw new Error(`wrong field count: ${line}`);
    entries[order - 1]?.set(words, {
      logProb: Number(fields[0]),
      logBackoff: highest ? undefined : Number(fields[2]),
    });
  }
  if (lines.at(-2) !== "\\end\\") throw new Error("no \\end\\");
  return { declaredCounts, entries };
}

/** log10 p(word | context) by ARPA back-off. */
export function arpaLogProb(arpa: ParsedArpa, context: readonly string[], word: string): number {
  const order = arpa.declaredCounts.length;
  const history = context.slice(Math.max(0, context.length - order + 1));
  for (let start = 0; start <= history.length; start++) {
    const entry = arpa.entries[history.length - start]?.get(
      [...history.slice(start), word].join(" "),
    );
    if (entry === undefined) continue;
    let logProb = entry.logProb;
    // Back-offs of the longer contexts that had no entry for the word.
    for (let skipped = 0; skipped < start; skipped++) {
      const contextWords = history.slice(skipped);
      logProb +=
        arpa.entries[contextWords.length - 1]?.get(contextWords.join(" "))?.logBackoff ?? 0;
    }
    return logProb;
  }
  return arpaLogProb(arpa, context, "<unk>");
}
