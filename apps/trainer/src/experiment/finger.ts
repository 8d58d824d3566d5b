import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { FINGER_CLASS_NAMES } from "@emgkit/emg-io";
import { formatDuration, lineChart, markdownTable } from "@emgkit/trainer/node";
import type { Command } from "commander";
import type { ConfigTree } from "../config.js";
import { CliError } from "../errors.js";
import { splitPaths } from "../run-setup.js";
import type { ExperimentKind, ExperimentReport } from "./kind.js";
import { meanSd, unfinishedLines } from "./report-parts.js";
import type { RunResult, SweepRun } from "./sweep.js";

/** `finger-pretrain` params: typing sessions to pretrain the encoder on. */
export interface FingerPretrainParams {
  backend: string;
  sessions: string[];
  steps: number;
  seed: number;
}

/** `finger` params: one classifier run, from scratch or on the `from` run's encoder. */
export interface FingerParams {
  backend: string;
  trainCsv: string[];
  testCsv: string[];
  trainSeconds: number;
  steps: number;
  seed: number;
  from?: { run: string };
}

function list(value: unknown, option: string): string[] {
  const items = String(value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (items.length === 0) throw new CliError(`${option} is required`, 2);
  return items;
}

function numbers(value: unknown, option: string, check: (n: number) => boolean): number[] {
  const out = list(value, option).map(Number);
  if (out.some((n) => !check(n))) throw new CliError(`${option}: bad value in ${String(value)}`, 2);
  return out;
}

function csvFiles(value: unknown, option: string): string[] {
  const files = list(value, option).map((f) => resolve(f));
  const missing = files.find((f) => !existsSync(f));
  if (missing !== undefined) throw new CliError(`${missing} does not exist (${option})`);
  return files;
}

const initLabel = (pretrained: boolean) => (pretrained ? "pretrained" : "from scratch");

export const finger: ExperimentKind = {
  name: "finger",
  summary:
    "per-time-point finger classification (6 classes, 8-channel 200 Hz CSV) with a causal model, with and without pretraining on typing sessions",
  details:
    "Stage 1 pretrains a causal encoder (dilated causal convolutions) with a CTC head on the split's training sessions, reduced to 4 electrodes per band at 200 Hz. Stage 2 trains classifiers on the first --seconds of the --train recordings, from scratch and on the pretrained encoder, one per seed, and scores every frame of the --test recordings: accuracy, per-class F1, macro F1 and confusion matrices.",
  examples: [
    "dataset_root=sim-data user=sim-data/splits/user0.yaml --train sim-data/finger/person0-train.csv --test sim-data/finger/person0-test.csv",
    "dataset_root=data user=single_user --train a.csv,b.csv --test c.csv --seeds 0,1,2 --workers auto",
  ],
  addOptions(command: Command) {
    command
      .option("--train <csvs>", "training recordings (finger CSVs), comma-separated")
      .option("--test <csvs>", "test recordings, comma-separated")
      .option("--seconds <list>", "seconds of training data per run", "30,60")
      .option("--steps <n>", "classifier training steps", "300")
      .option("--pretrain-steps <n>", "encoder pretraining steps", "1500")
      .option("--seeds <list>", "seeds; each condition runs once per seed", "0")
      .option("--no-pretrain", "only train from scratch");
  },
  async plan(base, options) {
    const trainCsv = csvFiles(options.train, "--train");
    const testCsv = csvFiles(options.test, "--test");
    const seconds = numbers(options.seconds, "--seconds", (n) => n > 0);
    const seeds = numbers(options.seeds, "--seeds", Number.isInteger);
    const [steps, pretrainSteps] = [options.steps, options.pretrainSteps].map((v, i) => {
      const n = Number(v);
      if (!(Number.isInteger(n) && n > 0))
        throw new CliError(
          `${i === 0 ? "--steps" : "--pretrain-steps"} must be a whole number > 0`,
          2,
        );
      return n;
    }) as [number, number];
    const backend = String(base.backend);
    const pretrain = options.pretrain !== false;
    const runs: SweepRun[] = [];
    if (pretrain) {
      const sessions = splitPaths(base).train;
      if (sessions.length === 0)
        throw new CliError(`split ${String(base.user)} has no training sessions to pretrain on`);
      const params: FingerPretrainParams = {
        backend,
        sessions,
        steps: pretrainSteps,
        seed: Number(base.seed),
      };
      runs.push({ name: "pretrain", stage: 0, task: "finger-pretrain", params: { ...params } });
    }
    const conditions = [false, ...(pretrain ? [true] : [])];
    for (const pretrained of conditions) {
      for (const s of seconds) {
        for (const seed of seeds) {
          const params: FingerParams = {
            backend,
            trainCsv,
            testCsv,
            trainSeconds: s,
            steps,
            seed,
            ...(pretrained ? { from: { run: "pretrain" } } : {}),
          };
          const name = `${pretrained ? "pretrained" : "scratch"}-${s}s${seeds.length > 1 ? `-seed${seed}` : ""}`;
          runs.push({ name, stage: 1, task: "finger", params: { ...params } });
        }
      }
    }
    return { runs, options: { seconds, seeds, pretrain, base } };
  },
  async report(sweep, results): Promise<ExperimentReport> {
    const seconds = sweep.options.seconds as number[];
    const conditions = [false, ...(sweep.options.pretrain ? [true] : [])];
    const groups = conditions.flatMap((pretrained) =>
      seconds.map((s) => {
        const runs = sweep.runs.filter(
          (r) =>
            r.task === "finger" &&
            Boolean((r.params as unknown as FingerParams).from) === pretrained &&
            (r.params as unknown as FingerParams).trainSeconds === s,
        );
        const done = runs
          .map((r) => results.get(r.name))
          .filter((r): r is RunResult => r !== undefined);
        return { pretrained, seconds: s, runs, done };
      }),
    );
    const stat = (values: number[]) => {
      const { mean, sd } = meanSd(values);
      if (!Number.isFinite(mean)) return "–";
      return Number.isNaN(sd)
        ? (100 * mean).toFixed(1)
        : `${(100 * mean).toFixed(1)} ± ${(100 * sd).toFixed(1)}`;
    };
    const classF1 = (r: RunResult, c: number) =>
      (r.perClass as Array<{ f1: number }>)[c]?.f1 ?? Number.NaN;
    const rows: Array<Record<string, unknown>> = [];
    const cells = groups.map((g) => {
      rows.push({
        init: initLabel(g.pretrained),
        trainSeconds: g.seconds,
        runs: g.done.length,
        accuracy: g.done.map((r) => r.accuracy),
        macroF1: g.done.map((r) => r.macroF1),
        perClassF1: FINGER_CLASS_NAMES.map((_, c) => g.done.map((r) => classF1(r, c))),
      });
      return [
        initLabel(g.pretrained),
        String(g.seconds),
        `${g.done.length}/${g.runs.length}`,
        stat(g.done.map((r) => r.accuracy as number)),
        stat(g.done.map((r) => r.macroF1 as number)),
        ...FINGER_CLASS_NAMES.map((_, c) => stat(g.done.map((r) => classF1(r, c)))),
        formatDuration(meanSd(g.done.map((r) => r.trainingSeconds as number)).mean),
      ];
    });
    const table = markdownTable(
      [
        "encoder",
        "train s",
        "runs",
        "accuracy %",
        "macro F1 %",
        ...FINGER_CLASS_NAMES.map((n) => `F1 ${n} %`),
        "training time",
      ],
      cells,
    );
    const confusions = groups
      .filter((g) => g.done.length > 0)
      .flatMap((g) => {
        const sum = FINGER_CLASS_NAMES.map((_, i) =>
          FINGER_CLASS_NAMES.map((__, j) =>
            g.done.reduce((n, r) => n + ((r.confusion as number[][])[i]?.[j] ?? 0), 0),
          ),
        );
        return [
          `### ${initLabel(g.pretrained)}, ${g.seconds} s (frames, rows true, columns predicted${g.done.length > 1 ? `, summed over ${g.done.length} seeds` : ""})`,
          "",
          markdownTable(
            ["true \\ predicted", ...FINGER_CLASS_NAMES],
            sum.map((row, i) => [FINGER_CLASS_NAMES[i] as string, ...row]),
          ),
          "",
        ];
      });
    const figures = {
      "accuracy-by-seconds.svg": lineChart({
        title: "test accuracy by seconds of training data",
        xLabel: "seconds of training data",
        yLabel: "accuracy (%)",
        series: conditions.map((pretrained) => ({
          name: initLabel(pretrained),
          points: groups
            .filter((g) => g.pretrained === pretrained)
            .map(
              (g) =>
                [g.seconds, 100 * meanSd(g.done.map((r) => r.accuracy as number)).mean] as [
                  number,
                  number,
                ],
            ),
        })),
      }),
    };
    const base = sweep.options.base as ConfigTree;
    const markdown = [
      `# Experiment: ${sweep.kind}`,
      "",
      finger.details,
      "",
      `Pretraining sessions: split \`${String(base.user)}\` in \`${String(base.dataset_root)}\`. Chance accuracy is about ${(100 / FINGER_CLASS_NAMES.length).toFixed(0)}% for balanced classes (rest usually dominates). Mean ± sd over seeds.`,
      "",
      table,
      "",
      "![accuracy by seconds](figures/accuracy-by-seconds.svg)",
      "",
      "## Confusion matrices",
      "",
      ...confusions,
      ...unfinishedLines(sweep, results),
      "",
    ].join("\n");
    return { markdown, figures, table, rows };
  },
};
