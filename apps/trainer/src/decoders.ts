import { existsSync } from "node:fs";
import { CTCBeamDecoder, type CTCDecoder, CTCGreedyDecoder } from "@emgkit/ctc";
import { loadArpaFile, loadDefaultLanguageModel } from "@emgkit/ctc/node";
import type { KeyName } from "@emgkit/emg-io";
import type { ConfigTree } from "./config.js";
import { CliError } from "./errors.js";

/** The decoder a `decoder` config section describes (configs/decoder/*.yaml). */
export function decoderFrom(config: ConfigTree): { name: "greedy" | "beam"; decoder: CTCDecoder } {
  if (config.kind === "greedy") return { name: "greedy", decoder: new CTCGreedyDecoder() };
  if (config.kind !== "beam") {
    throw new CliError(`unknown decoder kind "${String(config.kind)}"; known: greedy, beam`, 2);
  }
  let lm = null;
  if (config.lm === "default") lm = loadDefaultLanguageModel();
  else if (typeof config.lm === "string") {
    if (!existsSync(config.lm)) throw new CliError(`language model ${config.lm} does not exist`);
    try {
      lm = loadArpaFile(config.lm);
    } catch (error) {
      throw new CliError(`${config.lm}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  return {
    name: "beam",
    decoder: new CTCBeamDecoder({
      beamSize: Number(config.beam_size ?? 50),
      maxLabelsPerTimestep: Number(config.max_labels_per_timestep ?? 10),
      lm,
      lmWeight: Number(config.lm_weight ?? 2),
      insertionBonus: Number(config.insertion_bonus ?? 2),
      deleteKey: (config.delete_key ?? null) as KeyName | null,
    }),
  };
}
