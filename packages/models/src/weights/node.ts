import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import type { EmgModel } from "../model.js";
import { WeightsFormatError } from "./safetensors.js";
import { modelFromWeights, saveWeights } from "./weights.js";

/**
 * Writes a model's weights to `path` (safetensors). The bytes go to a
 * temporary file beside it that is then renamed over `path`, so a crash
 * never leaves a half-written checkpoint where a good one was.
 */
export async function saveWeightsFile(path: string, model: EmgModel): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, saveWeights(model));
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Reads a weights file and builds its model; format errors name the file. */
export async function loadModelFile(path: string): Promise<EmgModel> {
  const bytes = await readFile(path);
  try {
    return modelFromWeights(bytes);
  } catch (error) {
    if (error instanceof WeightsFormatError) {
      throw new WeightsFormatError(`${path}: ${error.message}`);
    }
    throw error;
  }
}
