import { chmod, mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "@emgkit/trainer/node";
import { cliCommand } from "./runner.js";
import { type Sweep, sweepPaths } from "./sweep.js";

/** `#SBATCH` settings of every job of the sweep. */
export interface SlurmOptions {
  partition?: string;
  /** Wall-time limit per run, Slurm syntax (`24:00:00`). */
  time: string;
  cpusPerTask: number;
  /** Memory per run, Slurm syntax (`16G`). */
  mem: string;
}

/** Quotes a word for bash. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

function header(name: string, logs: string, options: SlurmOptions, array?: number): string[] {
  return [
    "#!/bin/bash",
    `#SBATCH --job-name=${name}`,
    ...(array === undefined ? [] : [`#SBATCH --array=0-${array - 1}`]),
    `#SBATCH --cpus-per-task=${options.cpusPerTask}`,
    `#SBATCH --mem=${options.mem}`,
    `#SBATCH --time=${options.time}`,
    ...(options.partition ? [`#SBATCH --partition=${options.partition}`] : []),
    `#SBATCH --output=${logs}/%x-%a.log`,
    "set -euo pipefail",
    "# The emgkit command: set EMGKIT to override (e.g. EMGKIT='npx emgkit').",
    `if [ -n "\${EMGKIT:-}" ]; then read -ra CMD <<< "$EMGKIT"; else`,
    `  CMD=(${cliCommand().map(shellQuote).join(" ")})`,
    "fi",
  ];
}

/**
 * Writes a Slurm array job per stage (`slurm/stage-<k>.sbatch`, one array task per run), a job
 * that renders the report, and `slurm/submit.sh`, which submits them chained with
 * `--dependency=afterok` so stage k starts after stage k - 1 succeeded. Each task runs
 * `emgkit experiment run <dir> <name>`, which skips a run that already finished, so
 * resubmitting resumes. Returns the paths written.
 */
export async function emitSlurm(
  dir: string,
  sweep: Sweep,
  options: SlurmOptions,
): Promise<string[]> {
  const root = resolve(dir);
  const paths = sweepPaths(root);
  await mkdir(paths.slurm, { recursive: true });
  await mkdir(paths.logs, { recursive: true });
  const stages = [...new Set(sweep.runs.map((r) => r.stage))].sort((a, b) => a - b);
  const written: string[] = [];
  const submit = [
    "#!/bin/bash",
    `# Submits the ${sweep.kind} sweep (${sweep.runs.length} runs) to Slurm.`,
    "set -euo pipefail",
    'cd "$(dirname "$0")"',
    "dependency=()",
  ];
  for (const stage of stages) {
    const names = sweep.runs.filter((r) => r.stage === stage).map((r) => r.name);
    const file = `stage-${stage}.sbatch`;
    const script = [
      ...header(`emgkit-${sweep.kind}-${stage}`, paths.logs, options, names.length),
      `RUNS=(${names.map(shellQuote).join(" ")})`,
      `exec "\${CMD[@]}" experiment run ${shellQuote(root)} "\${RUNS[$SLURM_ARRAY_TASK_ID]}"`,
      "",
    ].join("\n");
    written.push(await writeScript(join(paths.slurm, file), script));
    submit.push(
      `job=$(sbatch --parsable "\${dependency[@]}" ${file}); job=\${job%%;*}`,
      `echo "stage ${stage}: job $job (${names.length} runs)"`,
      'dependency=(--dependency="afterok:$job")',
    );
  }
  const report = [
    ...header(`emgkit-${sweep.kind}-report`, paths.logs, { ...options, cpusPerTask: 1 }),
    `exec "\${CMD[@]}" experiment report ${shellQuote(root)}`,
    "",
  ].join("\n");
  written.push(await writeScript(join(paths.slurm, "report.sbatch"), report));
  submit.push(`sbatch "\${dependency[@]}" report.sbatch`, "");
  written.push(await writeScript(join(paths.slurm, "submit.sh"), submit.join("\n")));
  return written;
}

async function writeScript(path: string, text: string): Promise<string> {
  await writeFileAtomic(path, text);
  await chmod(path, 0o755);
  return path;
}
