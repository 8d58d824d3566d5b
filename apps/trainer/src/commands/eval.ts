import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Phase, runPaths } from "@emgkit/trainer/node";
import { Command } from "commander";
import { applyOverrides, type ConfigTree } from "../config.js";
import { CliError } from "../errors.js";
import { printResult } from "../output.js";
import { writeRunReport } from "../run-report.js";
import { loadModel, useConfiguredBackend } from "../run-setup.js";
import { evaluateInto, savedConfig } from "../train-run.js";

const examples = `
Examples:
  emgkit eval runs/my-run                         # test split, greedy
  emgkit eval runs/my-run --split val --decoder ctc_beam
  emgkit eval runs/my-run decoder.lm=my-lm.arpa decoder.lm_weight=1.5 --json`;

export function evalCommand(): Command {
  return new Command("eval")
    .description(
      "evaluate a run's best model on a split, greedy or beam search with a character LM",
    )
    .argument("<run-dir>", "a run directory written by `emgkit train`")
    .argument(
      "[overrides...]",
      "config overrides, key=value (e.g. dataset_root=..., decoder.lm_weight=1)",
    )
    .option("--split <part>", "train, val or test", "test")
    .option("--decoder <name>", "ctc_greedy or ctc_beam (configs/decoder/)")
    .option("--json", "print the result as JSON on stdout")
    .addHelpText("after", examples)
    .action(async (runDir: string, overrides: string[], options) => {
      if (!existsSync(runDir) || !statSync(runDir).isDirectory()) {
        throw new CliError(`${runDir} is not a run directory`);
      }
      const phase = options.split as Phase;
      if (!["train", "val", "test"].includes(phase)) {
        throw new CliError(`--split must be train, val or test, got "${phase}"`, 2);
      }
      const config = applyOverrides(await savedConfig(runDir), [
        ...(options.decoder ? [`decoder=${options.decoder}`] : []),
        ...overrides,
      ]);
      await useConfiguredBackend(config);
      const bestPath = runPaths(runDir).best;
      if (!existsSync(bestPath))
        throw new CliError(`${bestPath} is missing: the run has not finished an epoch`);
      const model = await loadModel(bestPath);
      const json = options.json === true;
      try {
        const record = await evaluateInto(
          runDir,
          model,
          config,
          phase,
          config.decoder as ConfigTree,
          !json,
        );
        const { countParams } = await import("@emgkit/models");
        await writeRunReport(runDir, config, countParams(model.params));
        printResult(record, json, () =>
          [
            `${phase} (${record.decoder}, ${record.sessions} sessions, ${record.characters} characters):`,
            `CER ${record.CER.toFixed(2)} %  IER ${record.IER.toFixed(2)}  DER ${record.DER.toFixed(2)}  SER ${record.SER.toFixed(2)}`,
            `predictions: ${join(runDir, "predictions", `${phase}-${record.decoder}.jsonl`)}`,
          ].join("\n"),
        );
      } finally {
        model.dispose();
      }
    });
}
