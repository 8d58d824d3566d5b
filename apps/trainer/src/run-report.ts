import { mkdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { parseMetrics, renderRunReport, runPaths, writeFileAtomic } from "@emgkit/trainer/node";
import type { ConfigTree } from "./config.js";

/** Flattens the config into `key: value` rows for the report's table. */
function configRows(config: ConfigTree, prefix = ""): Record<string, string> {
  const rows: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (
      typeof value === "object" &&
      value !== null &&
      !Array.isArray(value) &&
      !path.startsWith("transforms")
    ) {
      Object.assign(rows, configRows(value as ConfigTree, path));
    } else {
      rows[path] = JSON.stringify(value);
    }
  }
  return rows;
}

/** Writes `report.md` and `figures/*.svg` of a run directory from its metrics.jsonl. */
export async function writeRunReport(
  runDir: string,
  config: ConfigTree,
  parameters: number,
): Promise<string> {
  const records = parseMetrics(await readFile(runPaths(runDir).metrics, "utf8"));
  const model = (config.model as ConfigTree | undefined)?.kind ?? "model";
  const report = renderRunReport(records, {
    title: `${String(model)} on ${String(config.user)}`,
    runDir: basename(runDir),
    parameters,
    config: configRows(config),
  });
  await mkdir(join(runDir, "figures"), { recursive: true });
  for (const [name, svg] of Object.entries(report.figures)) {
    await writeFileAtomic(join(runDir, "figures", name), svg);
  }
  const path = join(runDir, "report.md");
  await writeFileAtomic(path, report.markdown);
  return path;
}
