import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { prepareCharLmLines, toArpa, trainKneserNey } from "@emgkit/ctc";
import { writeFileAtomic } from "@emgkit/trainer/node";
import { Command } from "commander";
import { CliError } from "../errors.js";
import { printResult } from "../output.js";

export function lmCommand(): Command {
  const lm = new Command("lm").description("character language models for beam search");
  lm.command("build")
    .description(
      "train a modified Kneser-Ney character n-gram LM on text files and write it as ARPA",
    )
    .argument(
      "<text...>",
      "plain-text corpus files (words are lower-cased, one character per token)",
    )
    .requiredOption("--out <file>", "the ARPA file to write (.arpa, or .arpa.gz to compress)")
    .option("--order <n>", "n-gram order, 1 to 6 (emg2qwerty uses a 6-gram)", "6")
    .option(
      "--discount-fallback",
      "on corpora too small to estimate Kneser-Ney discounts, use 0.5, 1, 1.5 (lmplz's --discount_fallback)",
    )
    .option("--json", "print the result as JSON on stdout")
    .addHelpText(
      "after",
      `
Examples:
  emgkit lm build corpus.txt --out my-lm.arpa.gz
  emgkit lm build a.txt b.txt --order 4 --out lm4.arpa
  emgkit eval runs/my-run --decoder ctc_beam decoder.lm=my-lm.arpa.gz`,
    )
    .action(async (files: string[], options) => {
      const order = Number(options.order);
      if (!(Number.isInteger(order) && order >= 1 && order <= 6)) {
        throw new CliError(`--order must be a whole number from 1 to 6, got "${options.order}"`, 2);
      }
      const lines: string[] = [];
      for (const file of files) {
        if (!existsSync(file)) throw new CliError(`${file} does not exist`);
        const text = await readFile(file, "utf8").catch((error: Error) => {
          throw new CliError(`${file}: ${error.message}`);
        });
        lines.push(...prepareCharLmLines(text));
      }
      if (lines.length === 0) throw new CliError(`${files.join(", ")}: no words to train on`);
      let model: ReturnType<typeof trainKneserNey>;
      try {
        model = trainKneserNey(lines, {
          order,
          discountFallback: options.discountFallback === true,
        });
      } catch (error) {
        const message = (error as Error).message.replace(
          "pass discountFallback: true",
          "pass --discount-fallback",
        );
        throw new CliError(`${files.join(", ")}: ${message}`);
      }
      const arpa = toArpa(model);
      const out: string = options.out;
      await writeFileAtomic(out, out.endsWith(".gz") ? gzipSync(arpa) : arpa);
      const result = { out, order, words: lines.length, ngrams: model.orders.map((o) => o.size) };
      printResult(
        result,
        options.json === true,
        () =>
          `${out}: order ${order}, ${result.words.toLocaleString("en-US")} words, n-grams per order ${result.ngrams.join(", ")}`,
      );
    });
  return lm;
}
