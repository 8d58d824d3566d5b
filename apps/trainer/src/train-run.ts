import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { openSession } from "@emgkit/emg-io/node";
import { countParams, type EmgModel } from "@emgkit/models";
import {
  DivergedError,
  type EvalRecord,
  evaluate,
  type FitResult,
  fit,
  MetricsLog,
  type Phase,
  runPaths,
  writeFileAtomic,
} from "@emgkit/trainer/node";
import { parse } from "yaml";
import { type ConfigTree, configYaml } from "./config.js";
import { decoderFrom } from "./decoders.js";
import { CliError } from "./errors.js";
import { progressBar } from "./progress.js";
import { writeRunReport } from "./run-report.js";
import {
  budgetLimits,
  dataBudget,
  loadModel,
  phaseSpec,
  splitPaths,
  trainConfigFrom,
  useConfiguredBackend,
} from "./run-setup.js";

export interface TrainRunOptions {
  config: ConfigTree;
  runDir: string;
  resume?: boolean;
  finetune?: string;
  /** Splits and decoders to evaluate the best model on at the end. */
  evaluations: Array<{ phase: Phase; decoder: ConfigTree }>;
  /** Draw progress bars (off for --json). */
  progress: boolean;
  log: (line: string) => void;
}

export interface TrainRunResult {
  runDir: string;
  parameters: number;
  epochs: number;
  stoppedBy: FitResult["stoppedBy"];
  bestValCer: number | null;
  bestEpoch: number | null;
  /** The epochs SWAD averaged (null without `trainer.swad`). */
  swad: FitResult["swad"];
  trainSeconds: number;
  evaluations: EvalRecord[];
  report: string;
}

/** Reads a run directory's saved config (for --resume and eval). */
export async function savedConfig(runDir: string): Promise<ConfigTree> {
  const path = join(runDir, "config.yaml");
  if (!existsSync(path)) throw new CliError(`${runDir} is not a run directory (no config.yaml)`);
  return parse(await readFile(path, "utf8")) as ConfigTree;
}

/** Evaluates `model` on the configured split's `phase` with one decoder; appends the record and predictions. */
export async function evaluateInto(
  runDir: string,
  model: EmgModel,
  config: ConfigTree,
  phase: Phase,
  decoderConfig: ConfigTree,
  progress: boolean,
): Promise<EvalRecord> {
  const trainConfig = trainConfigFrom(config);
  const paths = splitPaths(config)[phase];
  if (paths.length === 0)
    throw new CliError(`split ${String(config.user)} has no ${phase} sessions`);
  const { name, decoder } = decoderFrom(decoderConfig);
  const bar = progressBar(`eval ${phase} (${name})`, progress);
  const started = performance.now();
  const result = await evaluate(model, phaseSpec(trainConfig, phase, paths), {
    decoder,
    onProgress: (done, total) => bar.update(done, total),
  });
  bar.done();
  const record: EvalRecord = {
    kind: "eval",
    phase,
    decoder: name,
    loss: result.loss,
    CER: result.CER,
    IER: result.IER,
    DER: result.DER,
    SER: result.SER,
    sessions: result.sessions,
    characters: result.characters,
    time: (performance.now() - started) / 1000,
  };
  await new MetricsLog(runPaths(runDir).metrics).write(record);
  await mkdir(join(runDir, "predictions"), { recursive: true });
  await writeFileAtomic(
    join(runDir, "predictions", `${phase}-${name}.jsonl`),
    `${result.predictions.map((p) => JSON.stringify(p)).join("\n")}\n`,
  );
  return record;
}

/** `emgkit train`: fit, then evaluate the best model (the SWAD average with `trainer.swad`), then write report.md. */
export async function trainRun(options: TrainRunOptions): Promise<TrainRunResult> {
  const { config, runDir } = options;
  const trainConfig = trainConfigFrom(config);
  const paths = splitPaths(config);
  if (paths.train.length === 0)
    throw new CliError(`split ${String(config.user)} has no training sessions`);
  await useConfiguredBackend(config);
  await mkdir(runDir, { recursive: true });
  await writeFile(join(runDir, "config.yaml"), configYaml(config));

  const limits = await budgetLimits(paths.train, dataBudget(config), async (path) => {
    const session = await openSession(path);
    const info = { user: session.metadata.user, length: session.length };
    session.close();
    return info;
  });

  let bar = progressBar("epoch 0", options.progress);
  const started = performance.now();
  let result: FitResult;
  try {
    result = await fit({
      config: trainConfig,
      train: phaseSpec(trainConfig, "train", paths.train, limits),
      val: paths.val.length > 0 ? phaseSpec(trainConfig, "val", paths.val) : null,
      runDir,
      ...(options.resume ? { resume: true } : {}),
      ...(options.finetune ? { initWeights: options.finetune } : {}),
      onEvent: (event) => {
        if (event.type === "step") {
          bar.update(
            event.batch + 1,
            event.batches,
            `loss ${event.loss.toFixed(3)} lr ${event.lr.toExponential(1)}`,
          );
        } else if (event.type === "epoch") {
          bar.done();
          const val =
            event.val === null
              ? ""
              : ` val loss ${event.val.loss.toFixed(3)} CER ${event.val.CER.toFixed(2)}`;
          options.log(
            `epoch ${event.train.epoch}: train loss ${event.train.loss.toFixed(3)} CER ${event.train.CER.toFixed(2)}${val}${event.improved ? " (best)" : ""}`,
          );
          bar = progressBar(`epoch ${event.train.epoch + 1}`, options.progress);
        }
      },
    });
  } catch (error) {
    bar.done();
    if (error instanceof DivergedError) throw new CliError(`training stopped: ${error.message}`);
    throw error;
  }
  bar.done();
  const trainSeconds = (performance.now() - started) / 1000;
  const parameters = countParams(result.model.params);
  result.model.dispose();

  const evaluations: EvalRecord[] = [];
  if (options.evaluations.length > 0) {
    // With SWAD, its average is the model that is tested.
    const best = await loadModel(runPaths(runDir)[result.swad ? "swad" : "best"]);
    try {
      for (const { phase, decoder } of options.evaluations) {
        evaluations.push(
          await evaluateInto(runDir, best, config, phase, decoder, options.progress),
        );
      }
    } finally {
      best.dispose();
    }
  }
  const report = await writeRunReport(runDir, config, parameters);
  return {
    runDir,
    parameters,
    epochs: result.state.epoch,
    stoppedBy: result.stoppedBy,
    bestValCer: result.state.bestValCer,
    bestEpoch: result.state.bestEpoch,
    swad: result.swad,
    trainSeconds,
    evaluations,
    report,
  };
}
