import { simulate } from "@emgkit/emg-sim";
import { Command } from "commander";
import { CliError } from "../errors.js";
import { printResult } from "../output.js";
import { progressBar } from "../progress.js";

function integer(name: string, min: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!(Number.isInteger(value) && value >= min)) {
      throw new CliError(`--${name} must be a whole number >= ${min}, got "${text}"`, 2);
    }
    return value;
  };
}

function positive(name: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!(Number.isFinite(value) && value > 0))
      throw new CliError(`--${name} must be a number > 0, got "${text}"`, 2);
    return value;
  };
}

export function simulateCommand(): Command {
  return new Command("simulate")
    .description("write a simulated sEMG typing dataset: emg2qwerty HDF5 sessions plus split YAMLs")
    .option("--out <dir>", "output folder", "sim-data")
    .option("--users <n>", "simulated users (at least 2)", integer("users", 2), 4)
    .option(
      "--sessions <n>",
      "sessions per user (at least 3: train, val, test)",
      integer("sessions", 3),
      4,
    )
    .option("--minutes <m>", "minutes per session", positive("minutes"), 2)
    .option("--seed <n>", "random seed", integer("seed", 0), 0)
    .option("--json", "print the result as JSON on stdout")
    .addHelpText(
      "after",
      `
Examples:
  emgkit simulate --out sim-data
  emgkit simulate --out big --users 8 --sessions 5 --minutes 10 --seed 1
Then: emgkit train dataset_root=sim-data user=sim-data/splits/user0.yaml`,
    )
    .action(async (options) => {
      const bar = progressBar("simulating", options.json !== true);
      const dataset = await simulate({
        outDir: options.out,
        users: options.users,
        sessionsPerUser: options.sessions,
        minutesPerSession: options.minutes,
        seed: options.seed,
        onProgress: ({ done, total }) => bar.update(done, total),
      }).catch((error: Error) => {
        throw new CliError(`${options.out}: ${error.message}`);
      });
      bar.done();
      const result = {
        root: dataset.root,
        sessions: dataset.sessions.length,
        minutes: dataset.sessions.length * options.minutes,
        splits: dataset.splitFiles,
      };
      printResult(result, options.json === true, () =>
        [
          `${result.sessions} sessions (${result.minutes} minutes) in ${result.root}`,
          `splits: ${result.splits.join(", ")}`,
        ].join("\n"),
      );
    });
}
