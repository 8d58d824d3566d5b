import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type SimulatedDataset, simulate } from "@emgkit/emg-sim";

let cached: Promise<SimulatedDataset> | undefined;

/** A tiny simulated dataset (2 users x 3 sessions of 30 s), made once per test file. */
export function tinyDataset(): Promise<SimulatedDataset> {
  cached ??= simulate({
    outDir: join(mkdtempSync(join(tmpdir(), "emgkit-trainer-")), "data"),
    users: 2,
    sessionsPerUser: 3,
    minutesPerSession: 0.5,
    seed: 7,
  });
  return cached;
}
