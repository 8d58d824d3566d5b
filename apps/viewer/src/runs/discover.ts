import type { FileEntry, FileSource } from "../app-context.js";
import { joinServed } from "./served-path.js";

/** A training run folder (it holds `metrics.jsonl`). */
export interface RunRef {
  /** Served path of the folder. */
  path: string;
  /** What lists show: the folder's path, or its name inside an experiment. */
  name: string;
  /** Served path of the experiment the run belongs to. */
  experiment?: string;
}

/** An experiment folder (`sweep.json`, `report.md`, `figures/`, `runs/<name>/`). */
export interface ExperimentRef {
  path: string;
  name: string;
  runs: RunRef[];
}

/** The runs and experiments of a served folder, each list sorted by path. */
export interface Discovered {
  /** Runs outside experiments. */
  runs: RunRef[];
  experiments: ExperimentRef[];
}

/** How far {@link discoverRuns} looks. */
export interface DiscoverOptions {
  /** Levels of plain folders below the root that are searched (default 2: `a/b/<run>`). */
  maxDepth?: number;
  /** At most this many folders are listed (default 200), so a huge tree stays quick. */
  maxListings?: number;
}

// Folders a run or experiment writes, never holding other runs.
const SKIPPED = new Set(["checkpoints", "figures", "predictions", "logs", "slurm", "node_modules"]);

/**
 * Finds runs and experiments in the served folder: the root's entries, and folders up to
 * `maxDepth` levels down. An experiment's runs (`<experiment>/runs/<name>`) are listed
 * under it, not among the loose runs. Folders that cannot be listed are passed over.
 */
export async function discoverRuns(
  files: FileSource,
  options: DiscoverOptions = {},
): Promise<Discovered> {
  const maxDepth = options.maxDepth ?? 2;
  let listingsLeft = options.maxListings ?? 200;
  const runs: RunRef[] = [];
  const experiments: ExperimentRef[] = [];

  const list = async (dir: string): Promise<FileEntry[]> => {
    if (listingsLeft <= 0) return [];
    listingsLeft--;
    try {
      return await files.list(dir);
    } catch {
      return [];
    }
  };

  let level = [""];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const listings = await Promise.all(level.map(list));
    const next: string[] = [];
    const found: Promise<void>[] = [];
    for (const entries of listings) {
      for (const entry of entries) {
        if (entry.kind === "run") {
          runs.push({ path: entry.path, name: entry.path });
        } else if (entry.kind === "experiment") {
          const experiment: ExperimentRef = { path: entry.path, name: entry.path, runs: [] };
          experiments.push(experiment);
          found.push(
            list(joinServed(entry.path, "runs")).then((inner) => {
              for (const run of inner) {
                if (run.kind !== "run") continue;
                experiment.runs.push({ path: run.path, name: run.name, experiment: entry.path });
              }
              experiment.runs.sort(byPath);
            }),
          );
        } else if (entry.kind === "dir" && depth < maxDepth && !skipped(entry.name)) {
          next.push(entry.path);
        }
      }
    }
    await Promise.all(found);
    level = next;
  }
  return { runs: runs.sort(byPath), experiments: experiments.sort(byPath) };
}

function skipped(name: string): boolean {
  return name.startsWith(".") || SKIPPED.has(name);
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
