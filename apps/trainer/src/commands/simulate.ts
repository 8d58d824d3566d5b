import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { simulate, simulateFingerCsv } from "@emgkit/emg-sim";
import { writeFileAtomic } from "@emgkit/trainer/node";
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
    .option(
      "--finger <n>",
      "also write n people's finger-movement CSVs (8 channels, 200 Hz) to <out>/finger/",
      integer("finger", 0),
      0,
    )
    .option("--json", "print the result as JSON on stdout")
    .addHelpText(
      "after",
      `
Examples:
  emgkit simulate --out sim-data
  emgkit simulate --out big --users 8 --sessions 5 --minutes 10 --seed 1
  emgkit simulate --out sim-data --finger 3
Then: emgkit train dataset_root=sim-data user=sim-data/splits/user0.yaml
Finger CSVs: <out>/finger/person<i>-train.csv (the first 180 s) and -test.csv (the rest, about 75 s).`,
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
      const finger = await writeFingerCsvs(
        join(options.out, "finger"),
        options.finger,
        options.seed,
      );
      const result = {
        root: dataset.root,
        sessions: dataset.sessions.length,
        minutes: dataset.sessions.length * options.minutes,
        splits: dataset.splitFiles,
        finger,
      };
      printResult(result, options.json === true, () =>
        [
          `${result.sessions} sessions (${result.minutes} minutes) in ${result.root}`,
          `splits: ${result.splits.join(", ")}`,
          ...(finger.length > 0 ? [`finger CSVs: ${finger.join(", ")}`] : []),
        ].join("\n"),
      );
    });
}

/** Seconds of each simulated finger recording used for training; the rest (about 75 s) tests. */
const FINGER_TRAIN_SECONDS = 180;

/**
 * One recording per simulated person (12 movements of each finger, about 255 s), cut in two files at
 * 180 s: the same person's muscles in training and test, later movements in the test.
 */
async function writeFingerCsvs(dir: string, people: number, seed: number): Promise<string[]> {
  if (people === 0) return [];
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (let person = 0; person < people; person++) {
    const [header, ...rows] = simulateFingerCsv({ seed: seed * 1000 + person, repetitions: 12 })
      .trimEnd()
      .split("\n");
    const cut = rows.findIndex((row) => Number(row.split(",")[0]) >= FINGER_TRAIN_SECONDS);
    for (const [part, lines] of [
      ["train", rows.slice(0, cut)],
      ["test", rows.slice(cut)],
    ] as const) {
      const path = join(dir, `person${person}-${part}.csv`);
      await writeFileAtomic(path, `${[header, ...lines].join("\n")}\n`);
      files.push(path);
    }
  }
  return files;
}
