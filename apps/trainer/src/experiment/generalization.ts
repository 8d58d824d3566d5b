import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { builtinSplitNames, type Split } from "@emgkit/emg-io";
import { loadSplit } from "@emgkit/emg-io/node";
import { lineChart, markdownTable } from "@emgkit/trainer/node";
import type { Command } from "commander";
import { type ConfigTree, groupConfig } from "../config.js";
import { CliError } from "../errors.js";
import type { ExperimentKind, ExperimentReport } from "./kind.js";
import { evaluationOf, formatMeanSd, reportHeader, unfinishedLines } from "./report-parts.js";
import type { SweepRun } from "./sweep.js";
import type { EvalParams, Evaluation, TrainParams } from "./tasks.js";
import { runConfig } from "./variant-sweep.js";

/** SWAD's defaults (Cha et al. 2021), as `trainer.swad` takes them. */
const SWAD = "trainer.swad={n_converge: 3, n_tolerance: 6, tolerance_ratio: 0.3}";

function readSplit(name: string): Split {
  try {
    return loadSplit(name);
  } catch (error) {
    throw new CliError((error as Error).message.split("\n")[0] as string, 2);
  }
}

/**
 * Held-out users' personal splits: `--held-out`, or by default emg2qwerty's user0..user7 for the
 * built-in generic split, or the split files beside a generic split file whose users it never
 * trains on (emgkit simulate writes them side by side).
 */
function heldOutSplits(genericName: string, generic: Split, option: unknown): string[] {
  const trainUsers = new Set(generic.train.map((e) => e.user));
  let names: string[];
  if (typeof option === "string" && option !== "") {
    names = option.split(",").map((s) => s.trim());
  } else if (builtinSplitNames.includes(genericName)) {
    names = builtinSplitNames.filter((n) => /^user\d+$/.test(n));
  } else {
    const dir = dirname(genericName);
    names = readdirSync(dir)
      .filter((f) => f.endsWith(".yaml") && join(dir, f) !== join(genericName))
      .sort()
      .map((f) => join(dir, f))
      .filter((path) => {
        const split = readSplit(path);
        return split.train.length > 0 && split.train.every((e) => !trainUsers.has(e.user));
      });
  }
  for (const name of names) {
    const seen = readSplit(name).train.find((e) => trainUsers.has(e.user));
    if (seen !== undefined) {
      throw new CliError(
        `held-out split ${name}: user ${seen.user} is in the generic training set`,
        2,
      );
    }
  }
  if (names.length === 0)
    throw new CliError(`no held-out user splits found for ${genericName}; pass --held-out`, 2);
  return names;
}

/** A run-name-safe name of a personal split (`user3`, or the file's name). */
function userName(split: string): string {
  return basename(split, ".yaml").replace(/[^A-Za-z0-9._-]/g, "-");
}

/** The rows of the Table 3-shaped summary: a label and the run suffix it averages over users. */
function conditions(minutes: number[]): Array<{ label: string; suffix: string; minutes?: number }> {
  return [
    { label: "generic (no personalization)", suffix: "generic" },
    { label: "generic + SWAD (no personalization)", suffix: "generic-swad" },
    { label: "personalized (random init)", suffix: "scratch" },
    { label: "personalized (finetuned)", suffix: "finetune" },
    ...minutes.map((m) => ({
      label: `finetuned on ${m < 1 ? `${m * 60} s` : `${m} min`} of the user's data`,
      suffix: `finetune-${m}min`,
      minutes: m,
    })),
  ];
}

function parseMinutes(value: unknown): number[] {
  const minutes = String(value ?? "0.5,1,2,5")
    .split(",")
    .map(Number);
  if (minutes.some((m) => !(m > 0)))
    throw new CliError(`--minutes must be numbers > 0, got ${String(value)}`, 2);
  return minutes;
}

const COLUMNS: Array<{ title: string; phase: "val" | "test"; decoder: string }> = [
  { title: "val, no LM", phase: "val", decoder: "greedy" },
  { title: "test, no LM", phase: "test", decoder: "greedy" },
  { title: "val, char LM", phase: "val", decoder: "beam" },
  { title: "test, char LM", phase: "test", decoder: "beam" },
];

export const generalization: ExperimentKind = {
  name: "generalization",
  summary:
    "generic model on many users, zero-shot on held-out users (with and without SWAD), finetuned, and personalized with 30 s to 5 min",
  details:
    "Stage 1 trains a generic model on the split's training users, once plainly and once with SWAD. Stage 2, for each held-out user: the generic models zero-shot, a model from random init on the user's data, the generic model finetuned on all of it and on its first minutes only (--minutes, default 30 s, 1, 2 and 5). The summary has the shape of the emg2qwerty paper's Table 3 (mean ± sd over held-out users), greedy and with beam search + character LM.",
  examples: [
    "--config demo dataset_root=sim-data user=sim-data/splits/generic.yaml --minutes 0.5,1",
    "dataset_root=data user=generic trainer.max_epochs=150 --emit slurm --time 72:00:00",
    "dataset_root=data user=generic --held-out user0,user1 --workers auto",
  ],
  addOptions(command: Command) {
    command
      .option(
        "--held-out <splits>",
        "held-out users' personal splits, comma-separated (default: user0..user7 with the built-in generic split, else the split files beside it whose users it never trains on)",
      )
      .option(
        "--minutes <list>",
        "personalization budgets in minutes of the user's data",
        "0.5,1,2,5",
      );
  },
  async plan(base, options) {
    const genericName = String(base.user);
    const generic = readSplit(genericName);
    if (new Set(generic.train.map((e) => e.user)).size < 2) {
      throw new CliError(
        `split ${genericName} trains on one user; generalization needs a multi-user split (user=generic or a simulated generic.yaml)`,
        2,
      );
    }
    const users = heldOutSplits(genericName, generic, options.heldOut);
    const minutes = parseMinutes(options.minutes);
    const evaluations: Evaluation[] = ["ctc_greedy", "ctc_beam"].flatMap((decoder) =>
      (["val", "test"] as const).map((phase) => ({
        phase,
        decoder: groupConfig("decoder", decoder),
      })),
    );
    const runs: SweepRun[] = [
      train("generic", 0, runConfig(base, []), []),
      train("generic-swad", 0, runConfig(base, [SWAD]), []),
    ];
    for (const split of users) {
      const user = userName(split);
      const personal = runConfig(base, [`user=${split}`]);
      runs.push(
        evaluate(`${user}-generic`, personal, evaluations, "generic", "best"),
        evaluate(`${user}-generic-swad`, personal, evaluations, "generic-swad", "swad"),
        train(`${user}-scratch`, 1, personal, evaluations),
        train(`${user}-finetune`, 1, personal, evaluations, "generic"),
        ...minutes.map((m) =>
          train(
            `${user}-finetune-${m}min`,
            1,
            runConfig(personal, [`budget_minutes=${m}`]),
            evaluations,
            "generic",
          ),
        ),
      );
    }
    return { runs, options: { users: users.map(userName), minutes, base } };
  },
  async report(sweep, results): Promise<ExperimentReport> {
    const users = sweep.options.users as string[];
    const minutes = sweep.options.minutes as number[];
    const rows: Array<Record<string, unknown>> = [];
    const table: string[][] = [];
    const cer = (run: string, c: (typeof COLUMNS)[number]) =>
      evaluationOf(results.get(run), c.phase, c.decoder)?.CER;
    for (const condition of conditions(minutes)) {
      const values = COLUMNS.map((c) =>
        users
          .map((u) => cer(`${u}-${condition.suffix}`, c))
          .filter((v): v is number => v !== undefined),
      );
      rows.push({
        condition: condition.label,
        ...Object.fromEntries(COLUMNS.map((c, i) => [c.title, values[i]])),
      });
      table.push([condition.label, ...values.map(formatMeanSd)]);
    }
    const perUser = users.map((u) => [
      u,
      ...conditions(minutes).map((c) => {
        const v = cer(`${u}-${c.suffix}`, COLUMNS[1] as (typeof COLUMNS)[number]);
        return v === undefined ? "–" : v.toFixed(2);
      }),
    ]);
    const testNoLm = COLUMNS[1] as (typeof COLUMNS)[number];
    const mean = (suffix: string) => {
      const v = users
        .map((u) => cer(`${u}-${suffix}`, testNoLm))
        .filter((x): x is number => x !== undefined);
      return v.length === 0 ? Number.NaN : v.reduce((a, b) => a + b, 0) / v.length;
    };
    const span = [Math.min(...minutes), Math.max(...minutes)];
    const flat = (name: string, suffix: string) => ({
      name,
      points: span.map((m) => [m, mean(suffix)] as [number, number]),
    });
    const figures = {
      "personalization.svg": lineChart({
        title: "test CER (no LM) by minutes of the held-out user's data",
        xLabel: "minutes of the user's data",
        yLabel: "CER (%)",
        series: [
          {
            name: "finetuned on the first minutes",
            points: minutes.map((m) => [m, mean(`finetune-${m}min`)] as [number, number]),
          },
          flat("generic, zero-shot", "generic"),
          flat("generic + SWAD, zero-shot", "generic-swad"),
          flat("random init, all the user's data", "scratch"),
          flat("finetuned, all the user's data", "finetune"),
        ],
      }),
    };
    const summary = markdownTable(["model", ...COLUMNS.map((c) => c.title)], table);
    const markdown = [
      ...reportHeader(sweep, generalization.details, sweep.options.base as ConfigTree | undefined),
      `CER % over ${users.length} held-out user(s) (${users.join(", ")}), mean ± sd; LM columns decode with beam search and the configured character LM.`,
      "",
      summary,
      "",
      "The paper's Table 3 (8 test users, 6-gram LM): generic 55.38 ± 4.10 test CER without LM, personalized (random init) 15.38 ± 5.88, finetuned 11.28 ± 4.45 (emg2qwerty, arXiv 2410.20081).",
      "",
      "Test CER (no LM) per held-out user:",
      "",
      markdownTable(["user", ...conditions(minutes).map((c) => c.label)], perUser),
      "",
      "![personalization](figures/personalization.svg)",
      ...unfinishedLines(sweep, results),
      "",
    ].join("\n");
    return { markdown, figures, table: summary, rows };
  },
};

function train(
  name: string,
  stage: number,
  config: ConfigTree,
  evaluations: Evaluation[],
  from?: string,
): SweepRun {
  const params: TrainParams = {
    config,
    evaluations,
    ...(from ? { from: { run: from, file: "best" } } : {}),
  };
  return { name, stage, task: "train", params: { ...params } };
}

function evaluate(
  name: string,
  config: ConfigTree,
  evaluations: Evaluation[],
  run: string,
  file: "best" | "swad",
): SweepRun {
  const params: EvalParams = { config, evaluations, from: { run, file } };
  return { name, stage: 1, task: "eval", params: { ...params } };
}
