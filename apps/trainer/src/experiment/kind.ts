import type { Command } from "commander";
import type { ConfigTree } from "../config.js";
import type { RunResult, Sweep, SweepRun } from "./sweep.js";

/** A rendered experiment report: Markdown, SVG figures by file name, and the table's rows. */
export interface ExperimentReport {
  markdown: string;
  figures: Record<string, string>;
  /** The main table as Markdown (printed by the command) and as objects (for `--json`). */
  table: string;
  rows: Array<Record<string, unknown>>;
}

/**
 * One `emgkit experiment <kind>`: the runs it plans from the resolved config and the command's
 * options, and the report it renders from the finished runs.
 */
export interface ExperimentKind {
  name: string;
  /** One line for `--help`. */
  summary: string;
  /** Extra help text: what the runs are. */
  details: string;
  /** Command lines for `--help` (after `emgkit experiment <kind>`). */
  examples: string[];
  /** Kind-specific command options. */
  addOptions?(command: Command): void;
  /** The sweep's runs and the options its report needs (saved in sweep.json). */
  plan(
    base: ConfigTree,
    options: Record<string, unknown>,
  ): Promise<{ runs: SweepRun[]; options: Record<string, unknown> }>;
  report(sweep: Sweep, results: Map<string, RunResult>, dir: string): Promise<ExperimentReport>;
}
