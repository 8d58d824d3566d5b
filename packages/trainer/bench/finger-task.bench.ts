/**
 * The finger task on simulated data (the README's "Finger task" table), wasm backend:
 *
 *     node --import tsx bench/finger-task.bench.ts
 *
 * Pretrains an encoder on simulated typing sessions (4 users x 3 sessions x 2 min), then, for
 * FINGER_PEOPLE (default 5) simulated people (one recording each: the first 120 s for
 * training, the rest for testing), trains classifiers on the first 30 s and 60 s, from scratch
 * and from the pretrained encoder (fine-tuned, and frozen with only the head trained, next to a
 * frozen random encoder), and prints a markdown table of the mean ± standard deviation over the
 * people. FINGER_PRETRAIN_STEPS (default 1500) and FINGER_STEPS (default 150) set the budget
 * (the defaults take about 10 minutes on 2 cores); every result is written as JSON to
 * $FINGER_OUT (default finger-task.json in the temp dir).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { simulate, simulateFingerCsv } from "@emgkit/emg-sim";
import * as tf from "@tensorflow/tfjs-core";
import { registerGradients } from "../../models/bench/register-gradients.js";
import type { FingerTaskResult } from "../src/finger/run.js";

// The finger modules import tfjs-core's gradient registrations, whose extension-less imports
// need the resolve hook installed first: load them only after.
await registerGradients();
const { pretrainFingerEncoder } = await import("../src/finger/pretrain.js");
const { runFingerTask } = await import("../src/finger/run.js");
const { useBackend } = await import("../src/train/backend.js");

const PRETRAIN_STEPS = Number(process.env.FINGER_PRETRAIN_STEPS ?? 1500);
const STEPS = Number(process.env.FINGER_STEPS ?? 150);
const PEOPLE = Number(process.env.FINGER_PEOPLE ?? 5);
const OUT = process.env.FINGER_OUT ?? join(tmpdir(), "finger-task.json");
/** Seconds of each simulated recording used for training; the rest is the test recording. */
const SPLIT_S = 120;
const TRAIN_SECONDS = [30, 60];
const CONDITIONS = [
  { name: "scratch", pretrained: false, freeze: false },
  { name: "pretrained, fine-tuned", pretrained: true, freeze: false },
  { name: "random encoder, frozen (head only)", pretrained: false, freeze: true },
  { name: "pretrained, frozen (head only)", pretrained: true, freeze: true },
];

interface Row {
  person: number;
  condition: string;
  result: FingerTaskResult;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const meanSd = (xs: number[]) => `${mean(xs).toFixed(3)} ± ${sd(xs).toFixed(3)}`;

/** Writes person `seed`'s simulated recording as a training and a test CSV. */
function personCsvs(dir: string, seed: number): { trainCsv: string; testCsv: string } {
  const [header, ...lines] = simulateFingerCsv({ seed, repetitions: 10 }).trimEnd().split("\n");
  const train = lines.filter((row) => Number(row.slice(0, row.indexOf(","))) < SPLIT_S);
  const trainCsv = join(dir, `train-${seed}.csv`);
  const testCsv = join(dir, `test-${seed}.csv`);
  writeFileSync(trainCsv, `${header}\n${train.join("\n")}\n`);
  writeFileSync(testCsv, `${header}\n${lines.slice(train.length).join("\n")}\n`);
  return { trainCsv, testCsv };
}

function printTable(rows: Row[]): void {
  console.log(
    `\nFinger task, ${PEOPLE} simulated ${PEOPLE === 1 ? "person" : "people"} (the first ${SPLIT_S} s for training, the rest for testing), ${STEPS} steps per run, seed 0; encoder pretrained for ${PRETRAIN_STEPS} steps. Mean ± standard deviation over the people.`,
  );
  console.log(
    `${cpus().length} x ${cpus()[0]?.model ?? "?"}, load average ${loadavg()[0]?.toFixed(1)}, Node ${process.version}, tfjs-core ${tf.version_core}, wasm\n`,
  );
  console.log("| training data | model | accuracy | macro F1 | training s / run |");
  console.log("|---|---|---:|---:|---:|");
  for (const trainSeconds of TRAIN_SECONDS) {
    for (const condition of CONDITIONS) {
      const runs = rows
        .filter((r) => r.condition === condition.name && r.result.trainSeconds === trainSeconds)
        .map((r) => r.result);
      console.log(
        `| ${trainSeconds} s | ${condition.name} | ${meanSd(runs.map((r) => r.accuracy))} | ${meanSd(runs.map((r) => r.macroF1))} | ${mean(runs.map((r) => r.trainingSeconds)).toFixed(1)} |`,
      );
    }
  }
}

await useBackend("wasm");
const dir = mkdtempSync(join(tmpdir(), "emgkit-finger-bench-"));
try {
  console.error(`simulating 4 users x 3 sessions x 2 min of typing into ${dir}`);
  const typing = await simulate({
    outDir: join(dir, "typing"),
    users: 4,
    sessionsPerUser: 3,
    minutesPerSession: 2,
    seed: 11,
  });
  const encoderFile = join(dir, "encoder.safetensors");
  const pretrained = await pretrainFingerEncoder({
    sessions: typing.sessions.map((s) => s.path),
    outFile: encoderFile,
    steps: PRETRAIN_STEPS,
    seed: 1,
    progressEvery: 100,
    onProgress: (p) => {
      if (p.phase === "train")
        console.error(`pretrain step ${p.step}: CTC loss ${p.loss.toFixed(2)}`);
    },
  });
  console.error(`pretrained: ${JSON.stringify(pretrained)}`);

  const rows: Row[] = [];
  for (let person = 1; person <= PEOPLE; person++) {
    const { trainCsv, testCsv } = personCsvs(dir, person);
    for (const trainSeconds of TRAIN_SECONDS) {
      for (const condition of CONDITIONS) {
        const result = await runFingerTask({
          trainCsv: [trainCsv],
          testCsv: [testCsv],
          trainSeconds,
          steps: STEPS,
          seed: 0,
          ...(condition.pretrained ? { pretrainedEncoder: encoderFile } : {}),
          training: { freezeEncoder: condition.freeze },
        });
        rows.push({ person, condition: condition.name, result });
        console.error(
          `person ${person}, ${trainSeconds} s, ${condition.name}: accuracy ${result.accuracy.toFixed(3)}, macro F1 ${result.macroF1.toFixed(3)} (${result.trainingSeconds.toFixed(1)} s)`,
        );
      }
    }
  }
  writeFileSync(OUT, JSON.stringify({ pretrained, steps: STEPS, people: PEOPLE, rows }, null, 1));
  console.error(`results written to ${OUT}`);
  printTable(rows);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
