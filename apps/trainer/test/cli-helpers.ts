import { vi } from "vitest";
import { main } from "../src/main.js";

/** Runs `emgkit <args>` in-process; returns the exit code and what went to stdout and stderr. */
export async function run(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(["node", "emgkit", ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** A TDS small enough to train in a second on 30 s of simulated data, one epoch of one batch. */
export const tinyOverrides = [
  "model.config.mlpFeatures=[16]",
  "model.config.blockChannels=[8, 8]",
  "model.config.kernelWidth=4",
  "data.window_length=2000",
  "data.padding=[200, 100]",
  "data.batch_size=4",
  "trainer.max_epochs=1",
  "trainer.limit_train_batches=1",
  "trainer.limit_val_batches=1",
  "trainer.loader_worker=false",
  "transforms=none",
];
