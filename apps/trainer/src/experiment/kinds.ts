import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "@emgkit/trainer/node";
import { CliError } from "../errors.js";
import { finger } from "./finger.js";
import { generalization } from "./generalization.js";
import type { ExperimentKind, ExperimentReport } from "./kind.js";
import { readResults, type Sweep, sweepPaths } from "./sweep.js";
import { variantKinds } from "./sweeps.js";

/** Every `emgkit experiment <kind>`. */
export const experimentKinds: ExperimentKind[] = [...variantKinds, generalization, finger];

export function experimentKind(name: string): ExperimentKind {
  const kind = experimentKinds.find((k) => k.name === name);
  if (kind === undefined) {
    throw new CliError(
      `unknown experiment "${name}"; known: ${experimentKinds.map((k) => k.name).join(", ")}`,
      2,
    );
  }
  return kind;
}

/** Renders `report.md`, `figures/*.svg` and `results.json` from the runs finished so far. */
export async function writeExperimentReport(
  dir: string,
  sweep: Sweep,
): Promise<ExperimentReport & { path: string }> {
  const results = await readResults(dir, sweep);
  const report = await experimentKind(sweep.kind).report(sweep, results, dir);
  const paths = sweepPaths(dir);
  await mkdir(paths.figures, { recursive: true });
  for (const [name, svg] of Object.entries(report.figures)) {
    await writeFileAtomic(join(paths.figures, name), svg);
  }
  await writeFileAtomic(paths.results, `${JSON.stringify(report.rows, null, 2)}\n`);
  await writeFileAtomic(paths.report, report.markdown);
  return { ...report, path: paths.report };
}
