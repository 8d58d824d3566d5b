/**
 * The folder the browser tests serve: short simulated sessions, one 20-minute session, a tiny
 * trained run (checkpoint + metrics.jsonl) and a one-run experiment with its report.
 * `bench/viewer.bench.ts` writes the same 20-minute session with {@link makeLongSession}
 * (under plain node: this module loads vitest's cli-helpers only when it trains).
 */
import { mkdirSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { writeSession } from "@emgkit/emg-io/node";
import { simulate, simulateSession } from "@emgkit/emg-sim";

/** Served paths (relative to the root) of what {@link makeViewerFixtures} wrote. */
export interface ViewerFixtures {
  /** A 30 s session of user0. */
  shortSession: string;
  /** 20 minutes at 2 kHz: 2.4 M samples. */
  longSession: string;
  longSamples: number;
  /** A run folder trained with the tiny config. */
  run: string;
  /** An experiment folder (`emgkit experiment window --only window-4000`). */
  experiment: string;
  /** The experiment's run. */
  experimentRun: string;
  /** Milliseconds each part took. */
  timings: Record<string, number>;
}

const LONG_MINUTES = 20;
/** Samples of the 20-minute session (2 kHz): 2.4 M. */
export const LONG_SAMPLES = LONG_MINUTES * 60 * 2000;

/** Writes the 20-minute session (seed 20) under `root`; returns its served path. */
export async function makeLongSession(root: string): Promise<string> {
  mkdirSync(join(root, "long"), { recursive: true });
  const longName = "long-20min.hdf5";
  const session = simulateSession({ seed: 20, durationMinutes: LONG_MINUTES });
  await writeSession(join(root, "long", longName), session);
  return `long/${longName}`;
}

/** Writes the fixtures under `root`; CLI failures throw with the command's stderr. */
export async function makeViewerFixtures(root: string): Promise<ViewerFixtures> {
  const { tinyOverrides } = await import("./cli-helpers.js");
  const timings: Record<string, number> = {};
  const time = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[name] = Math.round(performance.now() - started);
    }
  };
  const data = join(root, "data");
  const dataset = await time("simulate", () =>
    simulate({ outDir: data, users: 2, sessionsPerUser: 3, minutesPerSession: 0.5, seed: 11 }),
  );
  const split = join(data, "splits", "user0.yaml");
  const first = dataset.sessions[0];
  if (first === undefined) throw new Error("simulate wrote no session");

  const longSession = await time("simulateLong", () => makeLongSession(root));

  const runDir = join(root, "runs", "tiny");
  await time("train", () =>
    cli(
      "train",
      `dataset_root=${data}`,
      `user=${split}`,
      ...tinyOverrides,
      "--run-dir",
      runDir,
      "--json",
    ),
  );
  const experimentDir = join(root, "experiments", "window");
  await time("experiment", () =>
    cli(
      "experiment",
      "window",
      `dataset_root=${data}`,
      `user=${split}`,
      ...tinyOverrides,
      "--out",
      experimentDir,
      "--only",
      "window-4000",
      "--json",
    ),
  );
  const experimentRuns = readdirSync(join(experimentDir, "runs"));
  return {
    shortSession: `data/${basename(first.path)}`,
    longSession,
    longSamples: LONG_SAMPLES,
    run: "runs/tiny",
    experiment: "experiments/window",
    experimentRun: `experiments/window/runs/${experimentRuns[0] ?? "window-4000"}`,
    timings,
  };
}

async function cli(...args: string[]): Promise<void> {
  // cli-helpers imports vitest, which throws outside a test run.
  const { run } = await import("./cli-helpers.js");
  const result = await run(...args);
  if (result.code !== 0) {
    throw new Error(`emgkit ${args[0]} failed (${result.code}): ${result.stderr.trim()}`);
  }
}
