/**
 * The finger task's measurement on simulated data (the README's "Finger task" table), skipped
 * unless FINGER_MEASURE=1:
 *
 *     FINGER_MEASURE=1 npx vitest run test/finger-measure.test.ts
 *
 * Pretrains an encoder on simulated typing sessions, then, for several simulated people (one
 * recording each: the first 120 s for training, the rest for testing), trains classifiers on
 * the first 30 s and 60 s, from scratch and from the pretrained encoder (fine-tuned, and
 * frozen with only the head trained, next to a frozen random encoder). Prints a markdown table
 * and writes every result to $FINGER_MEASURE_OUT (default finger-measure.json in the temp dir).
 * FINGER_PRETRAIN_STEPS, FINGER_STEPS and FINGER_PEOPLE change the budget.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simulate, simulateFingerCsv } from "@emgkit/emg-sim";
import { describe, expect, it } from "vitest";
import { pretrainFingerEncoder } from "../src/finger/pretrain.js";
import { type FingerTaskResult, runFingerTask } from "../src/finger/run.js";
import { useBackend } from "../src/train/backend.js";

const env = process.env;
const pretrainSteps = Number(env.FINGER_PRETRAIN_STEPS ?? 1500);
const steps = Number(env.FINGER_STEPS ?? 150);
const people = Number(env.FINGER_PEOPLE ?? 5);
const SPLIT_S = 120;

describe.skipIf(env.FINGER_MEASURE !== "1")("finger task measurement", () => {
  it("accuracy with 30 s and 60 s of training data, with and without pretraining", async () => {
    await useBackend("wasm");
    const dir = mkdtempSync(join(tmpdir(), "emgkit-finger-measure-"));
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
      steps: pretrainSteps,
      seed: 1,
      progressEvery: 100,
      onProgress: (p) => {
        if (p.phase === "train")
          console.log(`pretrain step ${p.step}: CTC loss ${p.loss.toFixed(2)}`);
      },
    });
    console.log("pretrained", JSON.stringify(pretrained));

    const conditions = [
      { name: "scratch", pretrained: false, freeze: false },
      { name: "pretrained, fine-tuned", pretrained: true, freeze: false },
      { name: "random encoder, frozen", pretrained: false, freeze: true },
      { name: "pretrained, frozen", pretrained: true, freeze: true },
    ];
    const rows: Array<{ person: number; condition: string; result: FingerTaskResult }> = [];
    for (let person = 1; person <= people; person++) {
      const [header, ...lines] = simulateFingerCsv({ seed: person, repetitions: 10 })
        .trimEnd()
        .split("\n");
      const train = lines.filter((row) => Number(row.slice(0, row.indexOf(","))) < SPLIT_S);
      const trainCsv = join(dir, `train-${person}.csv`);
      const testCsv = join(dir, `test-${person}.csv`);
      writeFileSync(trainCsv, `${header}\n${train.join("\n")}\n`);
      writeFileSync(testCsv, `${header}\n${lines.slice(train.length).join("\n")}\n`);
      for (const trainSeconds of [30, 60]) {
        for (const condition of conditions) {
          const result = await runFingerTask({
            trainCsv: [trainCsv],
            testCsv: [testCsv],
            trainSeconds,
            steps,
            seed: 0,
            ...(condition.pretrained ? { pretrainedEncoder: encoderFile } : {}),
            training: { freezeEncoder: condition.freeze },
          });
          rows.push({ person, condition: condition.name, result });
          console.log(
            `person ${person} ${trainSeconds} s ${condition.name}: accuracy ${result.accuracy.toFixed(3)} macro F1 ${result.macroF1.toFixed(3)} (${result.trainingSeconds.toFixed(1)} s)`,
          );
        }
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
    const table = [
      "| training data | model | accuracy | macro F1 | train s/run |",
      "|---|---|---:|---:|---:|",
    ];
    for (const trainSeconds of [30, 60]) {
      for (const condition of conditions) {
        const runs = rows.filter(
          (r) => r.condition === condition.name && r.result.trainSeconds === trainSeconds,
        );
        const acc = runs.map((r) => r.result.accuracy);
        const f1 = runs.map((r) => r.result.macroF1);
        table.push(
          `| ${trainSeconds} s | ${condition.name} | ${mean(acc).toFixed(3)} ± ${sd(acc).toFixed(3)} | ${mean(f1).toFixed(3)} ± ${sd(f1).toFixed(3)} | ${mean(runs.map((r) => r.result.trainingSeconds)).toFixed(1)} |`,
        );
      }
    }
    console.log(table.join("\n"));
    const out = env.FINGER_MEASURE_OUT ?? join(tmpdir(), "finger-measure.json");
    writeFileSync(out, JSON.stringify({ pretrained, steps, people, rows }, null, 1));
    expect(rows).toHaveLength(people * 2 * conditions.length);
  }, 3_600_000);
});
