import { join } from "node:path";
import { Command, Option } from "commander";
import { resolveConfig } from "../config.js";
import { CliError } from "../errors.js";
import type { ExperimentKind } from "../experiment/kind.js";
import { experimentKinds, writeExperimentReport } from "../experiment/kinds.js";
import { executeRun, runSweep } from "../experiment/runner.js";
import { emitSlurm } from "../experiment/slurm.js";
import { findRun, loadSweep, readResult, type Sweep, saveSweep } from "../experiment/sweep.js";
import { printResult } from "../output.js";
import { countOrAuto } from "../run-setup.js";

const log = (json: boolean) => (line: string) => {
  if (!json) process.stderr.write(`${line}\n`);
};

function kindCommand(kind: ExperimentKind): Command {
  const command = new Command(kind.name)
    .description(kind.summary)
    .argument("[overrides...]", "config overrides for every run, key=value (as emgkit train)")
    .option("--config <file>", "a config file laid over base.yaml (a name in configs/ or a path)")
    .option(
      "--out <dir>",
      "experiment folder; rerunning the command resumes it",
      join("experiments", kind.name),
    )
    .option(
      "--workers <n>",
      "runs at once, each in its own process: a number or auto (every core)",
      "1",
    )
    .addOption(
      new Option("--emit <target>", "write job scripts instead of running").choices(["slurm"]),
    )
    .option("--partition <name>", "with --emit slurm: the Slurm partition")
    .option("--time <limit>", "with --emit slurm: wall time per run", "24:00:00")
    .option("--cpus-per-task <n>", "with --emit slurm: cores per run", "2")
    .option("--mem <size>", "with --emit slurm: memory per run", "16G")
    .option("--json", "print the result as JSON on stdout");
  kind.addOptions?.(command);
  command.addHelpText(
    "after",
    `
${kind.details}

Examples:
${kind.examples.map((line) => `  emgkit experiment ${kind.name} ${line}`).join("\n")}

Writes <out>/sweep.json (the runs), runs/<name>/ (each a run directory as emgkit train
writes), logs/, report.md with figures/*.svg, and results.json.`,
  );
  command.action(async (overrides: string[], options) => {
    const json = options.json === true;
    const config = resolveConfig(overrides, options.config);
    const planned = await kind.plan(config, options);
    const sweep: Sweep = { kind: kind.name, options: planned.options, runs: planned.runs };
    const dir: string = options.out;
    const state = await saveSweep(dir, sweep);
    if (options.emit === "slurm") {
      const cpus = Number(options.cpusPerTask);
      if (!(Number.isInteger(cpus) && cpus >= 1))
        throw new CliError(
          `--cpus-per-task must be a whole number >= 1, got ${options.cpusPerTask}`,
          2,
        );
      const files = await emitSlurm(dir, sweep, {
        ...(options.partition ? { partition: options.partition } : {}),
        time: options.time,
        cpusPerTask: cpus,
        mem: options.mem,
      });
      printResult({ dir, runs: sweep.runs.length, files }, json, () =>
        [
          `${sweep.runs.length} runs planned in ${dir}/sweep.json; Slurm scripts:`,
          ...files.map((f) => `  ${f}`),
          `Submit with: ${files.at(-1)}`,
        ].join("\n"),
      );
      return;
    }
    const workers = countOrAuto(options.workers, "--workers");
    if (state === "resumed") log(json)(`resuming ${dir}: finished runs are kept`);
    const outcome = await runSweep(dir, sweep, { workers, progress: !json, log: log(json) });
    const report = await writeExperimentReport(dir, sweep);
    printResult(
      { dir, kind: kind.name, ...outcome, report: report.path, rows: report.rows },
      json,
      () =>
        [
          "",
          `${kind.name}: ${outcome.ran.length} runs done now, ${outcome.skipped.length} finished before, ${outcome.failed.length} failed`,
          "",
          report.table,
          "",
          `Report: ${report.path}`,
        ].join("\n"),
    );
    if (outcome.failed.length > 0) {
      const first = outcome.failed[0] as { name: string; error: string };
      throw new CliError(
        `${outcome.failed.length} of ${sweep.runs.length} runs failed (first: ${first.name}: ${first.error}); rerun to retry them`,
      );
    }
  });
  return command;
}

function runCommand(): Command {
  return new Command("run")
    .description(
      "run one run of a planned sweep in this process (what workers and Slurm tasks call)",
    )
    .argument("<dir>", "experiment folder (with sweep.json)")
    .argument("<name>", "run name")
    .action(async (dir: string, name: string) => {
      const sweep = await loadSweep(dir);
      const run = findRun(sweep, name);
      if ((await readResult(dir, name)) !== null) {
        process.stderr.write(`run ${name} already finished\n`);
        return;
      }
      await executeRun(run, { dir, progress: process.stderr.isTTY === true, log: log(false) });
    });
}

function reportCommand(): Command {
  return new Command("report")
    .description("render report.md from the runs finished so far (e.g. after a Slurm sweep)")
    .argument("<dir>", "experiment folder (with sweep.json)")
    .option("--json", "print the table rows as JSON on stdout")
    .action(async (dir: string, options) => {
      const sweep = await loadSweep(dir);
      const report = await writeExperimentReport(dir, sweep);
      printResult({ dir, report: report.path, rows: report.rows }, options.json === true, () =>
        [report.table, "", `Report: ${report.path}`].join("\n"),
      );
    });
}

export function experimentCommand(): Command {
  const command = new Command("experiment").description(
    "run a study as a sweep of runs (a local worker pool, or Slurm) and write a report with a table and plots",
  );
  for (const kind of experimentKinds) command.addCommand(kindCommand(kind));
  command.addCommand(runCommand()).addCommand(reportCommand());
  command.addHelpText(
    "after",
    `
Each experiment is a list of independent runs (emgkit train runs, evaluations). The local runner
keeps --workers runs going at once; rerunning the same command resumes, skipping finished runs.
--emit slurm writes Slurm array jobs for the same runs instead.

Examples:
  emgkit experiment architectures dataset_root=data trainer.max_epochs=20 --workers 2
  emgkit experiment channels --config demo dataset_root=sim-data user=sim-data/splits/user0.yaml
  emgkit experiment generalization dataset_root=data user=generic --emit slurm
  emgkit experiment report experiments/architectures`,
  );
  return command;
}
