import type { Phase } from "@emgkit/trainer/node";
import { Command } from "commander";
import { type ConfigTree, resolveConfig } from "../config.js";
import { CliError } from "../errors.js";
import { printResult } from "../output.js";
import { defaultRunDir } from "../run-setup.js";
import { savedConfig, trainRun } from "../train-run.js";

const examples = `
Examples:
  emgkit train dataset_root=data user=single_user
  emgkit train model=lstm optimizer.lr=3e-3 trainer.max_epochs=20 data.batch_size=16
  emgkit train --config demo dataset_root=sim-data user=sim-data/splits/user0.yaml
  emgkit train --resume runs/2026-11-21-10-00-00-tds
  emgkit train --finetune runs/generic/checkpoints/best.safetensors user=user0 budget_minutes=2
  emgkit train user=generic 'trainer.swad={}'     # SWAD with its defaults; tests the average
  emgkit train --workers auto user=generic         # data-parallel over every core (trainer.workers)

Config groups (configs/<group>/<name>.yaml): model, transforms, optimizer, lr_scheduler, decoder.
Writes <run-dir>/config.yaml, metrics.jsonl, checkpoints/ (best.safetensors, last.ckpt.safetensors,
swad.safetensors with trainer.swad), predictions/ and report.md with figures/.`;

export function trainCommand(): Command {
  return new Command("train")
    .description(
      "train a CTC model on a split of emg2qwerty sessions, then test it (emg2qwerty's train.py)",
    )
    .argument("[overrides...]", "config overrides, key=value (group=name picks a config file)")
    .option("--config <file>", "a config file laid over base.yaml (a name in configs/ or a path)")
    .option("--run-dir <dir>", "run directory (default runs/<date>-<time>-<model>)")
    .option("--resume <run-dir>", "continue a run from its last checkpoint, with its saved config")
    .option("--finetune <weights>", "start from the weights of a model or checkpoint file")
    .option(
      "--workers <n|auto>",
      "data-parallel replicas in worker threads (sets trainer.workers; auto: every core)",
    )
    .option("--no-test", "skip the final evaluation on the test split")
    .option("--json", "print the result as JSON on stdout")
    .addHelpText("after", examples)
    .action(async (overrides: string[], options) => {
      let config: ConfigTree;
      let runDir: string;
      if (options.resume !== undefined) {
        runDir = options.resume;
        config = await savedConfig(runDir);
        if (overrides.length > 0) {
          throw new CliError("--resume continues the saved config; overrides are not accepted", 2);
        }
        // How many threads train is not part of the run's settings: a resume may change it.
        if (options.workers !== undefined) {
          config = {
            ...config,
            trainer: { ...(config.trainer as ConfigTree), workers: options.workers },
          };
        }
      } else {
        const workers = options.workers === undefined ? [] : [`trainer.workers=${options.workers}`];
        config = resolveConfig([...overrides, ...workers], options.config);
        runDir = options.runDir ?? defaultRunDir(String((config.model as ConfigTree).kind));
      }
      const evaluations: Array<{ phase: Phase; decoder: ConfigTree }> = options.test
        ? [{ phase: "test", decoder: config.decoder as ConfigTree }]
        : [];
      const json = options.json === true;
      const result = await trainRun({
        config,
        runDir,
        resume: options.resume !== undefined,
        ...(options.finetune ? { finetune: options.finetune } : {}),
        evaluations,
        progress: !json,
        log: (line) => {
          if (!json) process.stderr.write(`${line}\n`);
        },
      });
      printResult(result, json, () => {
        const lines = [
          `run: ${result.runDir} (${result.parameters.toLocaleString("en-US")} parameters, ${result.epochs} epochs, ${result.trainSeconds.toFixed(0)} s, stopped by ${result.stoppedBy})`,
          `best val CER: ${result.bestValCer === null ? "n/a" : `${result.bestValCer.toFixed(2)} % at epoch ${result.bestEpoch}`}`,
        ];
        if (result.swad) {
          lines.push(
            `SWAD: averaged epochs ${result.swad.startEpoch}-${result.swad.endEpoch} (${result.swad.steps} steps${result.swad.converged ? "" : ", val loss never converged: the last epochs"}); tested`,
          );
        }
        for (const e of result.evaluations) {
          lines.push(
            `${e.phase} CER (${e.decoder}): ${e.CER.toFixed(2)} %  IER ${e.IER.toFixed(2)}  DER ${e.DER.toFixed(2)}  SER ${e.SER.toFixed(2)}`,
          );
        }
        lines.push(`report: ${result.report}`);
        return lines.join("\n");
      });
    });
}
