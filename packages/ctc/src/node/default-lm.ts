import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { NGramLM } from "../lm/ngram-lm.js";

/**
 * Path of the default character LM shipped with the package: a 6-gram of the
 * Brown corpus prepared as emg2qwerty's `scripts/lm` prepares WikiText-103
 * (lower-case a-z words, one per line, characters separated by spaces), built
 * by `scripts/build-default-lm.ts`. Gzipped ARPA.
 */
export const DEFAULT_LM_PATH = packageFile("lm/brown-6gram-charlm.arpa.gz");

/** A file of the package: `../` from the build (dist/), `../../` from the sources (src/node/). */
function packageFile(relative: string): string {
  const candidates = [`../${relative}`, `../../${relative}`].map((path) =>
    fileURLToPath(new URL(path, import.meta.url)),
  );
  return candidates.find((path) => existsSync(path)) ?? (candidates[0] as string);
}

/** Loads an ARPA file, gzipped (`.gz`) or not. */
export function loadArpaFile(path: string): NGramLM {
  const bytes = readFileSync(path);
  return NGramLM.fromArpa(path.endsWith(".gz") ? gunzipSync(bytes) : bytes);
}

/** The default character LM (see `DEFAULT_LM_PATH`). */
export function loadDefaultLanguageModel(): NGramLM {
  return loadArpaFile(DEFAULT_LM_PATH);
}
