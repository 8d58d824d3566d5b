/**
 * NGramLM load time and scoring rate: (a) the Reuters 3-gram character LM
 * fixture, (b) a synthetic 6-gram character ARPA of WikiText-103 size (made
 * here from a skewed random letter stream, written to a temp file, so no
 * download is needed).
 *
 *     node --expose-gc --import tsx bench/lm.bench.ts [synthetic text length, default 1200000]
 *
 * (--expose-gc is optional; without it the generator's garbage may slow the load figure.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NGramLM } from "../src/lm/ngram-lm.js";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const SYNTHETIC_ORDER = 6;
const SCORED_TOKENS = 2_000_000;

/** Deterministic 32-bit generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Letter stream with a Zipf-like letter distribution, each letter biased by the one before. */
function letterStream(length: number, seed: number): Uint8Array {
  const next = random(seed);
  const codes = new Uint8Array(length);
  let previous = 0;
  for (let i = 0; i < length; i++) {
    const rank = Math.floor(26 * next() ** 2.2);
    previous = (rank + (next() < 0.5 ? 7 * previous : 0)) % 26;
    codes[i] = previous;
  }
  return codes;
}

/**
 * A valid ARPA 6-gram model of the n-grams that occur in the stream: every
 * prefix and suffix of a listed n-gram is listed too. Probabilities and
 * backoffs are made up from a hash, within the ranges real models have.
 */
function syntheticArpa(stream: Uint8Array, order: number): string {
  const seen: Set<number>[] = Array.from({ length: order }, () => new Set<number>());
  for (let end = 1; end <= stream.length; end++) {
    let code = 0;
    for (let n = 1; n <= order && end - n >= 0; n++) {
      code = code * 27 + (stream[end - n] as number) + 1;
      seen[n - 1]?.add(code);
    }
  }
  const words = (code: number) => {
    const letters: string[] = [];
    for (; code > 0; code = Math.floor(code / 27)) letters.push(LETTERS[(code % 27) - 1] as string);
    return letters.join(" ");
  };
  const value = (code: number, salt: number, low: number, high: number) => {
    const h = Math.imul(code ^ salt, 0x9e3779b1) >>> 0;
    return (low + ((high - low) * h) / 4294967296).toFixed(7);
  };
  const counts = seen.map((set, n) => set.size + (n === 0 ? 3 : 0));
  const out: string[] = ["\\data\\", ...counts.map((c, n) => `ngram ${n + 1}=${c}`), ""];
  for (let n = 1; n <= order; n++) {
    out.push(`\\${n}-grams:`);
    if (n === 1) out.push("-5.5\t<unk>\t0", "0\t<s>\t-1.2", "-1.3\t</s>\t0");
    for (const code of seen[n - 1] ?? []) {
      const probability = value(code, n, -3.5, -0.05);
      out.push(
        n < order
          ? `${probability}\t${words(code)}\t${value(code, 99 * n, -1.5, -0.01)}`
          : `${probability}\t${words(code)}`,
      );
    }
    out.push("");
  }
  out.push("\\end\\", "");
  return out.join("\n");
}

interface Row {
  model: string;
  ngrams: number;
  arpaMB: number;
  loadMs: number;
  baseScorePerSec: number;
  scorePerSec: number;
}

function measure(model: string, path: string, tokens: string[]): Row {
  const bytes = readFileSync(path);
  // Collect the generator's garbage first when run with --expose-gc, so it does not land in the load time.
  global.gc?.();
  const start = performance.now();
  const lm = NGramLM.fromArpa(bytes);
  const loadMs = performance.now() - start;

  const indices = Int32Array.from(tokens, (token) => lm.index(token));
  const next = new Int32Array(1);
  let sink = 0;
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    let state = lm.beginSentence;
    for (let i = 0; i < indices.length; i++) {
      sink += lm.baseScore(state, indices[i] as number, next);
      state = next[0] as number;
    }
    best = Math.min(best, performance.now() - t0);
  }
  const baseScorePerSec = indices.length / (best / 1000);

  const sentences: string[] = [];
  for (let i = 0; i < tokens.length; i += 100) sentences.push(tokens.slice(i, i + 100).join(" "));
  best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    for (const sentence of sentences) sink += lm.score(sentence);
    best = Math.min(best, performance.now() - t0);
  }
  const scorePerSec = (tokens.length + sentences.length) / (best / 1000);
  if (Number.isNaN(sink)) throw new Error("NaN score");
  return {
    model,
    ngrams: lm.ngramCounts.reduce((a, b) => a + b, 0),
    arpaMB: bytes.length / 2 ** 20,
    loadMs,
    baseScorePerSec,
    scorePerSec,
  };
}

function main(): void {
  const textLength = Number(process.argv[2] ?? 1_200_000);
  const tokenStream = (seed: number) =>
    Array.from(letterStream(SCORED_TOKENS, seed), (c) => LETTERS[c] as string);
  const rows: Row[] = [];

  const reuters = new URL("../test/fixtures/reuters-3-gram-char-lm.arpa", import.meta.url);
  rows.push(measure("reuters 3-gram (fixture)", reuters.pathname, tokenStream(2)));

  const dir = mkdtempSync(join(tmpdir(), "emgkit-lm-bench-"));
  try {
    const path = join(dir, "synthetic-6gram.arpa");
    const t0 = performance.now();
    writeFileSync(path, syntheticArpa(letterStream(textLength, 1), SYNTHETIC_ORDER));
    console.log(`(synthetic ARPA written in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    rows.push(measure(`synthetic ${SYNTHETIC_ORDER}-gram`, path, tokenStream(3)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  console.log(
    "| model | n-grams | ARPA MB | load ms | load MB/s | baseScore tokens/s | score tokens/s |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    console.log(
      `| ${r.model} | ${r.ngrams.toLocaleString("en")} | ${r.arpaMB.toFixed(1)} | ${r.loadMs.toFixed(0)} | ` +
        `${(r.arpaMB / (r.loadMs / 1000)).toFixed(0)} | ` +
        `${(r.baseScorePerSec / 1e6).toFixed(1)} M | ${(r.scorePerSec / 1e6).toFixed(1)} M |`,
    );
  }
}

main();
