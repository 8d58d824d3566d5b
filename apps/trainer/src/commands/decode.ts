import { existsSync, statSync } from "node:fs";
import { openSession } from "@emgkit/emg-io/node";
import type { EmgModel } from "@emgkit/models";
import { collate, evalStep, runPaths, SessionExamples } from "@emgkit/trainer/node";
import { Command } from "commander";
import { applyOverrides, type ConfigTree, resolveConfig } from "../config.js";
import { decoderFrom } from "../decoders.js";
import { CliError } from "../errors.js";
import { printResult } from "../output.js";
import { loadModel, trainConfigFrom, useConfiguredBackend } from "../run-setup.js";
import { savedConfig } from "../train-run.js";

/** A run directory's best model file and config, or a weights file with the default config. */
async function modelSource(source: string): Promise<{ path: string; config: ConfigTree }> {
  if (!existsSync(source)) throw new CliError(`${source} does not exist`);
  if (!statSync(source).isDirectory()) return { path: source, config: resolveConfig([]) };
  return { path: runPaths(source).best, config: await savedConfig(source) };
}

export function decodeCommand(): Command {
  return new Command("decode")
    .description(
      "decode a session's typing with a trained model: the text, and when each key was pressed",
    )
    .argument("<model>", "a run directory or a model file (.safetensors)")
    .argument("<session>", "an emg2qwerty session file (.hdf5)")
    .argument("[overrides...]", "config overrides, e.g. decoder=ctc_beam decoder.lm_weight=1")
    .option("--decoder <name>", "ctc_greedy or ctc_beam")
    .option("--json", "print the result as JSON on stdout")
    .addHelpText(
      "after",
      `
Examples:
  emgkit decode runs/my-run sim-data/2021-01-05-1609856000-keystrokes-sim@12345678.hdf5
  emgkit decode model.safetensors session.hdf5 --decoder ctc_beam --json`,
    )
    .action(async (source: string, sessionPath: string, overrides: string[], options) => {
      const found = await modelSource(source);
      const config = applyOverrides(found.config, [
        ...(options.decoder ? [`decoder=${options.decoder}`] : []),
        ...overrides,
      ]);
      // The backend first: loading the model makes tensors on it.
      await useConfiguredBackend(config);
      const model: EmgModel = await loadModel(found.path);
      try {
        const session = await openSession(sessionPath).catch((error: Error) => {
          throw new CliError(error.message);
        });
        const trainConfig = trainConfigFrom(config);
        const spectrogram = trainConfig.data.evalTransforms.logSpectrogram;
        try {
          const examples = new SessionExamples(
            [session],
            { windowLength: null },
            trainConfig.data.evalTransforms,
          );
          const batch = collate([examples.example(0, 0)]);
          const output = evalStep(model, batch);
          const frames = output.emissionLengths[0] as number;
          // Each emission frame is stamped with the last sample its receptive field sees.
          const time = session.readTimestamps();
          const span = Math.min(model.receptiveField, batch.shape[0]);
          const timestamps = Float64Array.from({ length: frames }, (_, t) => {
            const lastSample = (t + span - 1) * spectrogram.hopLength + spectrogram.nFft - 1;
            return time[Math.min(lastSample, session.length - 1)] as number;
          });
          const { name, decoder } = decoderFrom(config.decoder as ConfigTree);
          const decoded = decoder.decode(
            output.emissions.subarray(0, frames * 99),
            timestamps,
            true,
          );
          const start = time[0] as number;
          const keys = [...decoded.text].map((char, i) => ({
            char,
            time: ((decoded.timestamps?.[i] ?? start) as number) - start,
          }));
          const truth = session.groundTruth(start, time[session.length - 1] as number).text;
          printResult(
            {
              session: session.metadata.sessionName,
              decoder: name,
              text: decoded.text,
              keys,
              groundTruth: truth,
            },
            options.json === true,
            () =>
              [
                `${session.metadata.sessionName} (${name})`,
                `decoded:      ${decoded.text}`,
                `ground truth: ${truth}`,
                ...keys.map((k) => `${k.time.toFixed(3).padStart(9)} s  ${k.char}`),
              ].join("\n"),
          );
        } finally {
          session.close();
        }
      } finally {
        model.dispose();
      }
    });
}
