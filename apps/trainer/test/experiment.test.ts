import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type ConfigTree, resolveConfig } from "../src/config.js";
import { experimentKind } from "../src/experiment/kinds.js";
import type { TrainParams } from "../src/experiment/tasks.js";
import { trainConfigFrom } from "../src/run-setup.js";
import { run, tinyOverrides as tiny } from "./cli-helpers.js";

let root: string;
let data: string;
let user0: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "emgkit-experiment-"));
  data = join(root, "data");
  // 4 users x 3 sessions of 30 s; generic.yaml holds user3 out.
  const simulated = await run(
    "simulate",
    "--out",
    data,
    "--users",
    "4",
    "--sessions",
    "3",
    "--minutes",
    "0.5",
    "--finger",
    "1",
    "--json",
  );
  expect(simulated.code).toBe(0);
  user0 = join(data, "splits", "user0.yaml");
});

/** Runs `emgkit experiment <kind>` on user0 with the tiny config; returns the parsed --json. */
async function experiment(kind: string, out: string, ...args: string[]) {
  const result = await run(
    "experiment",
    kind,
    `dataset_root=${data}`,
    `user=${user0}`,
    ...tiny,
    "--out",
    out,
    "--json",
    ...args,
  );
  return { ...result, json: result.code === 0 ? JSON.parse(result.stdout) : null };
}

/** The resolved config of a planned run. */
async function plannedConfigs(
  kind: string,
  overrides: string[] = [],
): Promise<Map<string, ConfigTree>> {
  const base = resolveConfig([`dataset_root=${data}`, `user=${user0}`, ...tiny, ...overrides]);
  const { runs } = await experimentKind(kind).plan(base, {});
  return new Map(runs.map((r) => [r.name, (r.params as unknown as TrainParams).config]));
}

describe("experiment plans", () => {
  it("architectures: the eight models, BiLSTM as a bidirectional LSTM", async () => {
    const configs = await plannedConfigs("architectures");
    expect([...configs.keys()]).toEqual([
      "cnn",
      "lstm",
      "bilstm",
      "gru",
      "tcn",
      "cnn-bilstm",
      "tds",
      "transformer",
    ]);
    const model = (name: string) => trainConfigFrom(configs.get(name) as ConfigTree).model;
    expect(model("bilstm")).toMatchObject({ kind: "lstm", config: { bidirectional: true } });
    expect(model("lstm").config.bidirectional).toBeUndefined();
    expect(model("transformer").kind).toBe("transformer");
  });

  it("channels, sampling rate and features size the model input from the transforms", async () => {
    const input = (name: string, configs: Map<string, ConfigTree>) => {
      const config = trainConfigFrom(configs.get(name) as ConfigTree);
      return { ...config.model.config, eval: config.data.evalTransforms } as Record<
        string,
        unknown
      >;
    };
    const channels = await plannedConfigs("channels");
    expect([...channels.keys()]).toEqual([
      "electrodes-16",
      "electrodes-8",
      "electrodes-4",
      "electrodes-2",
      "electrodes-1",
    ]);
    expect(input("electrodes-4", channels)).toMatchObject({
      inFeatures: 4 * 33,
      electrodeChannels: 4,
    });
    const rates = await plannedConfigs("sampling-rate");
    expect([...rates.keys()]).toEqual(["rate-2000", "rate-1000", "rate-500", "rate-250"]);
    // 500 Hz: n_fft 16 (32 ms), hop 4 (125 frames/s), 9 bins.
    expect(input("rate-500", rates)).toMatchObject({
      inFeatures: 16 * 9,
      eval: { sampleRate: 500, logSpectrogram: { nFft: 16, hopLength: 4 } },
    });
    const features = await plannedConfigs("features");
    expect([...features.keys()].map((n) => input(n, features).inFeatures)).toEqual([
      272, 528, 1040,
    ]);
  });

  it("data amount, window and augmentation vary one setting", async () => {
    const amounts = await plannedConfigs("data-amount");
    expect([...amounts.values()].map((c) => c.budget_fraction)).toEqual([1, 0.5, 0.25, 0.125]);
    const windows = await plannedConfigs("window");
    expect([...windows.values()].map((c) => (c.data as ConfigTree).window_length)).toEqual([
      4000, 6000, 8000, 10000, 12000,
    ]);
    const augmentations = await plannedConfigs("augmentation");
    const train = (name: string) =>
      Object.keys(
        ((augmentations.get(name) as ConfigTree).transforms as ConfigTree).train as ConfigTree,
      ).sort();
    expect(train("none")).toEqual(["logSpectrogram"]);
    expect(train("all")).toEqual([
      "bandRotation",
      "logSpectrogram",
      "specAugment",
      "temporalJitter",
    ]);
    expect(train("without-spec-augment")).toEqual([
      "bandRotation",
      "logSpectrogram",
      "temporalJitter",
    ]);
    expect(train("only-temporal-jitter")).toEqual(["logSpectrogram", "temporalJitter"]);
    expect(train("all-gain-noise")).toContain("channelGain");
    // Evaluation transforms never change.
    for (const config of augmentations.values()) {
      expect((config.transforms as ConfigTree).eval).toEqual({
        logSpectrogram: { nFft: 64, hopLength: 16 },
      });
    }
  });
});

describe("emgkit experiment <kind> end to end", () => {
  it.each([
    ["architectures", "cnn,tds", ["CNN", "TDS"]],
    ["channels", "electrodes-16,electrodes-2", ["16", "2"]],
    ["sampling-rate", "rate-2000,rate-250", ["2000", "250"]],
    ["data-amount", "fraction-1,fraction-0.25", ["1", "0.25"]],
    ["window", "window-4000,window-6000", ["4000", "6000"]],
    ["features", "nfft-32,nfft-128", ["32 (272 features)", "128 (1040 features)"]],
    ["augmentation", "none,all-gain-noise", ["none", "all three + gain + noise"]],
  ])("%s runs, tabulates and plots", async (kind, only, labels) => {
    const out = join(root, kind);
    const { code, stderr, json } = await experiment(kind, out, "--only", only);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(json.ran).toEqual(only.split(","));
    expect(json.failed).toEqual([]);
    expect(json.rows).toHaveLength(2);
    for (const row of json.rows) {
      expect(row.epochs).toBe(1);
      expect(row.parameters).toBeGreaterThan(0);
      expect(row.val.CER).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(row.test.CER)).toBe(true);
      expect(row.inferenceRealTimeFactor).toBeGreaterThan(0);
    }
    const report = readFileSync(join(out, "report.md"), "utf8");
    const cells = report.split("\n").map((line) => line.split("|")[1]?.trim());
    for (const label of labels) expect(cells).toContain(label);
    expect(report).toContain("![val-cer-by-epoch](figures/val-cer-by-epoch.svg)");
    for (const figure of ["val-cer-by-epoch.svg", "val-cer-by-time.svg"]) {
      expect(readFileSync(join(out, "figures", figure), "utf8")).toMatch(/^<svg/);
    }
    for (const name of only.split(",")) {
      expect(existsSync(join(out, "runs", name, "checkpoints", "best.safetensors"))).toBe(true);
      expect(existsSync(join(out, "runs", name, "report.md"))).toBe(true);
    }
  });

  it("resumes: finished runs are skipped, an unfinished one is rerun", async () => {
    const out = join(root, "window");
    rmSync(join(out, "runs", "window-6000", "result.json"));
    const resumed = await experiment("window", out, "--only", "window-4000,window-6000");
    expect(resumed.code).toBe(0);
    expect(resumed.json).toMatchObject({
      ran: ["window-6000"],
      skipped: ["window-4000"],
      failed: [],
    });
    expect(resumed.json.rows.map((r: { epochs: number }) => r.epochs)).toEqual([1, 1]);
    // Other settings in the same folder are refused instead of mixed with finished runs.
    const other = await run(
      "experiment",
      "window",
      `dataset_root=${data}`,
      `user=${user0}`,
      ...tiny,
      "seed=7",
      "--out",
      out,
      "--only",
      "window-4000,window-6000",
    );
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/sweep\.json holds a different sweep/);
  });

  it("runs in two worker processes", async () => {
    const out = join(root, "workers");
    const { code, json } = await experiment(
      "channels",
      out,
      "--only",
      "electrodes-4,electrodes-1",
      "--workers",
      "2",
    );
    expect(code).toBe(0);
    expect([...json.ran].sort()).toEqual(["electrodes-1", "electrodes-4"]);
    expect(json.rows.map((r: { parameters: number }) => r.parameters > 0)).toEqual([true, true]);
    expect(readFileSync(join(out, "logs", "electrodes-4.log"), "utf8")).toContain("epoch 0");
  });

  it("generalization: generic (with SWAD), zero-shot, finetuned and personalized, as Table 3", async () => {
    const out = join(root, "generalization");
    const generic = join(data, "splits", "generic.yaml");
    const result = await experiment(
      "generalization",
      out,
      `user=${generic}`,
      "trainer.max_epochs=3",
      "--minutes",
      "0.1",
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const json = result.json;
    expect(json.ran).toEqual([
      "generic",
      "generic-swad",
      "user3-generic",
      "user3-generic-swad",
      "user3-scratch",
      "user3-finetune",
      "user3-finetune-0.1min",
    ]);
    expect(json.rows.map((r: { condition: string }) => r.condition)).toEqual([
      "generic (no personalization)",
      "generic + SWAD (no personalization)",
      "personalized (random init)",
      "personalized (finetuned)",
      "finetuned on 6 s of the user's data",
    ]);
    for (const row of json.rows) {
      for (const column of ["val, no LM", "test, no LM", "val, char LM", "test, char LM"]) {
        expect(row[column]).toHaveLength(1);
      }
    }
    expect(existsSync(join(out, "runs", "generic-swad", "checkpoints", "swad.safetensors"))).toBe(
      true,
    );
    // The zero-shot rows evaluate the generic models on the held-out user's split.
    const zeroShot = readFileSync(join(out, "runs", "user3-generic", "config.yaml"), "utf8");
    expect(zeroShot).toContain("splits/user3.yaml");
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain(
      "| generic + SWAD (no personalization) |",
    );
  });

  it("finger: pretrained and from-scratch classifiers, accuracy, per-class F1, confusion", async () => {
    const out = join(root, "finger");
    const csv = (part: string) => join(data, "finger", `person0-${part}.csv`);
    const result = await run(
      "experiment",
      "finger",
      `dataset_root=${data}`,
      `user=${user0}`,
      "--train",
      csv("train"),
      "--test",
      csv("test"),
      "--seconds",
      "30",
      "--steps",
      "8",
      "--pretrain-steps",
      "4",
      "--out",
      out,
      "--json",
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.ran).toEqual(["pretrain", "scratch-30s", "pretrained-30s"]);
    expect(json.rows.map((r: { init: string }) => r.init)).toEqual(["from scratch", "pretrained"]);
    for (const row of json.rows) {
      expect(row.trainSeconds).toBe(30);
      expect(row.accuracy[0]).toBeGreaterThan(0);
      expect(row.accuracy[0]).toBeLessThanOrEqual(1);
      expect(row.perClassF1).toHaveLength(6);
    }
    const scratch = JSON.parse(
      readFileSync(join(out, "runs", "scratch-30s", "result.json"), "utf8"),
    );
    // Every test frame is in the confusion matrix once; 30 s at 200 Hz were trained on.
    const frames = readFileSync(csv("test"), "utf8").trim().split("\n").length - 1;
    expect(scratch.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(frames);
    expect(scratch.trainSeconds).toBe(30);
    expect(scratch.pretrainedEncoder).toBeUndefined();
    const pretrained = JSON.parse(
      readFileSync(join(out, "runs", "pretrained-30s", "result.json"), "utf8"),
    );
    expect(pretrained.pretrainedEncoder).toBe(join(out, "runs", "pretrain", "encoder.safetensors"));
    const report = readFileSync(join(out, "report.md"), "utf8");
    expect(report).toContain("### pretrained, 30 s (frames, rows true, columns predicted)");
    expect(readFileSync(join(out, "figures", "accuracy-by-seconds.svg"), "utf8")).toMatch(/^<svg/);
    const missing = await run(
      "experiment",
      "finger",
      `dataset_root=${data}`,
      `user=${user0}`,
      "--test",
      csv("test"),
      "--out",
      join(root, "f2"),
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--train is required/);
  });

  it("generalization refuses a one-user split", async () => {
    const result = await run(
      "experiment",
      "generalization",
      `dataset_root=${data}`,
      `user=${user0}`,
      "--out",
      join(root, "g1"),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/trains on one user; generalization needs a multi-user split/);
  });
});

describe("emgkit experiment --emit slurm, run, report", () => {
  it("writes array jobs chained by stage; a task runs one run; report renders", async () => {
    const out = join(root, "slurm");
    const generic = join(data, "splits", "generic.yaml");
    const emitted = await experiment(
      "generalization",
      out,
      `user=${generic}`,
      "--minutes",
      "0.1",
      "--emit",
      "slurm",
      "--partition",
      "cpu",
    );
    expect(emitted.code).toBe(0);
    const files: string[] = emitted.json.files;
    expect(files.map((f) => f.slice(out.length + 1))).toEqual([
      "slurm/stage-0.sbatch",
      "slurm/stage-1.sbatch",
      "slurm/report.sbatch",
      "slurm/submit.sh",
    ]);
    const stage1 = readFileSync(join(out, "slurm", "stage-1.sbatch"), "utf8");
    expect(stage1).toContain("#SBATCH --array=0-4");
    expect(stage1).toContain("#SBATCH --partition=cpu");
    expect(stage1).toContain(
      "RUNS=(user3-generic user3-generic-swad user3-scratch user3-finetune user3-finetune-0.1min)",
    );
    const submit = readFileSync(join(out, "slurm", "submit.sh"), "utf8");
    expect(submit.match(/sbatch /g)).toHaveLength(3);
    expect(submit).toContain('dependency=(--dependency="afterok:$job")');
    for (const file of files) execFileSync("bash", ["-n", file]);
    expect(existsSync(join(out, "runs"))).toBe(false);

    // What a Slurm array task does: one run by name; then the report job.
    expect((await run("experiment", "run", out, "generic")).code).toBe(0);
    expect(existsSync(join(out, "runs", "generic", "result.json"))).toBe(true);
    const again = await run("experiment", "run", out, "generic");
    expect(again.stderr).toContain("already finished");
    const unknown = await run("experiment", "run", out, "nope");
    expect(unknown.code).toBe(2);
    const report = await run("experiment", "report", out, "--json");
    expect(report.code).toBe(0);
    expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/Not finished \(6 of 7\)/);
  });

  it("explains bad input in one line", async () => {
    const missing = await run("experiment", "report", join(root, "nowhere"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/is not an experiment folder \(no sweep\.json\)/);
    const only = await run(
      "experiment",
      "window",
      `dataset_root=${data}`,
      `user=${user0}`,
      "--only",
      "window-5",
      "--out",
      join(root, "w"),
    );
    expect(only.code).toBe(2);
    expect(only.stderr).toMatch(/--only: unknown run window-5; known: window-4000/);
    const workers = await run(
      "experiment",
      "window",
      `dataset_root=${data}`,
      `user=${user0}`,
      "--workers",
      "0",
      "--out",
      join(root, "w"),
    );
    expect(workers.code).toBe(2);
  });
});
