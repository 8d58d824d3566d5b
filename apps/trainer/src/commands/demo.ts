import { rm } from "node:fs/promises";
import { join } from "node:path";
import { simulate } from "@emgkit/emg-sim";
import { Command } from "commander";
import { type ConfigTree, resolveConfig } from "../config.js";
import { CliError } from "../errors.js";
import { printResult } from "../output.js";
import { progressBar } from "../progress.js";
import { trainRun } from "../train-run.js";

export function demoCommand(): Command {
  return new Command("demo")
    .description(
      "simulate a small dataset, train a TDS model for a few minutes, and test it greedy and with beam search + LM",
    )
    .option("--out <dir>", "folder for the data and the run", "emgkit-demo")
    .option("--train-minutes <m>", "training time budget in minutes", "7")
    .option("--session-minutes <m>", "minutes per simulated session", "2")
    .option("--json", "print the result as JSON on stdout")
    .addHelpText(
      "after",
      `
Examples:
  emgkit demo
  emgkit demo --out /tmp/demo --train-minutes 2

Writes <out>/data (4 users x 4 sessions) and <out>/run (config.yaml, metrics.jsonl,
checkpoints/, predictions/, report.md with SVG figures).`,
    )
    .action(async (options) => {
      const trainMinutes = Number(options.trainMinutes);
      const sessionMinutes = Number(options.sessionMinutes);
      if (!(trainMinutes > 0) || !(sessionMinutes > 0)) {
        throw new CliError("--train-minutes and --session-minutes must be numbers > 0", 2);
      }
      const json = options.json === true;
      const started = performance.now();
      const dataDir = join(options.out, "data");
      const runDir = join(options.out, "run");
      await rm(runDir, { recursive: true, force: true });
      const bar = progressBar("simulating", !json);
      const dataset = await simulate({
        outDir: dataDir,
        users: 4,
        sessionsPerUser: 4,
        minutesPerSession: sessionMinutes,
        seed: 11,
        onProgress: ({ done, total }) => bar.update(done, total),
      });
      bar.done();
      const config: ConfigTree = resolveConfig(
        [
          `dataset_root=${dataDir}`,
          `user=${dataset.splitFiles[0]}`,
          `trainer.max_time_seconds=${Math.round(trainMinutes * 60)}`,
        ],
        "demo",
      );
      const greedy = resolveConfig(["decoder=ctc_greedy"]).decoder as ConfigTree;
      const beam = resolveConfig(["decoder=ctc_beam"]).decoder as ConfigTree;
      const result = await trainRun({
        config,
        runDir,
        evaluations: [
          { phase: "val", decoder: greedy },
          { phase: "test", decoder: greedy },
          { phase: "test", decoder: beam },
        ],
        progress: !json,
        log: (line) => {
          if (!json) process.stderr.write(`${line}\n`);
        },
      });
      const totalSeconds = (performance.now() - started) / 1000;
      printResult({ ...result, totalSeconds }, json, () => {
        const rows = result.evaluations.map(
          (e) =>
            `| ${e.phase.padEnd(5)} | ${e.decoder.padEnd(7)} | ${e.CER.toFixed(2).padStart(6)} | ${e.IER.toFixed(2).padStart(6)} | ${e.DER.toFixed(2).padStart(6)} | ${e.SER.toFixed(2).padStart(6)} |`,
        );
        return [
          "",
          `Trained ${result.parameters.toLocaleString("en-US")} parameters for ${result.epochs} epochs (${result.trainSeconds.toFixed(0)} s); total ${totalSeconds.toFixed(0)} s.`,
          "",
          "| split | decoder |  CER % |  IER % |  DER % |  SER % |",
          "| ----- | ------- | -----: | -----: | -----: | -----: |",
          ...rows,
          "",
          `Report: ${result.report}`,
        ].join("\n");
      });
    });
}
