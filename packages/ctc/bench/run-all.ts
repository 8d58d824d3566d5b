/**
 * Runs every benchmark of @emgkit/ctc, one process each (so one's memory does
 * not weigh on the next): `pnpm --filter @emgkit/ctc bench`.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const BENCHES = ["ctc-loss.bench.ts", "lm.bench.ts", "lm-train.bench.ts", "beam.bench.ts"];

let failed = 0;
for (const bench of BENCHES) {
  console.log(`\n=== ${bench} ===`);
  const path = fileURLToPath(new URL(`./${bench}`, import.meta.url));
  const result = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", path], {
    stdio: "inherit",
  });
  if (result.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
