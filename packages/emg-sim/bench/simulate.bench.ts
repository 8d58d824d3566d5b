/**
 * Throughput: minutes of EMG simulated per second, wall clock and CPU (user +
 * system, so a busy machine does not flatter or punish the figure).
 *   node --import tsx bench/simulate.bench.ts [--minutes 5] [--dataset-users 3]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PromptSource, simulate, simulateSession } from "../src/index";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

async function measure(run: () => unknown): Promise<{ wallS: number; cpuS: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return { wallS: (performance.now() - start) / 1000, cpuS: (used.user + used.system) / 1e6 };
}

function report(
  what: string,
  minutes: number,
  { wallS, cpuS }: { wallS: number; cpuS: number },
): void {
  const perWall = (minutes / wallS).toFixed(1);
  const perCpu = (minutes / cpuS).toFixed(1);
  console.log(
    `${what}: ${minutes} min of EMG in ${wallS.toFixed(2)} s wall, ${cpuS.toFixed(2)} s CPU -> ${perWall} min/s wall, ${perCpu} min/s CPU`,
  );
}

const minutes = option("minutes", 5);
const users = option("dataset-users", 3);
const prompts = new PromptSource();
simulateSession({ seed: 0, durationMinutes: 0.5, prompts }); // warm-up: JIT, corpus files
for (const seed of [1, 2, 3]) {
  report(
    `one session (seed ${seed})`,
    minutes,
    await measure(() => simulateSession({ seed, durationMinutes: minutes, prompts })),
  );
}

const outDir = mkdtempSync(join(tmpdir(), "emg-sim-bench-"));
try {
  const sessionsPerUser = 3;
  const datasetMinutes = 1;
  const timing = await measure(() =>
    simulate({ outDir, users, sessionsPerUser, minutesPerSession: datasetMinutes, seed: 1 }),
  );
  report(
    `dataset (${users} users x ${sessionsPerUser} sessions x ${datasetMinutes} min, HDF5 written)`,
    users * sessionsPerUser * datasetMinutes,
    timing,
  );
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
