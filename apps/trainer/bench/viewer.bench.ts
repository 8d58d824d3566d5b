/**
 * The viewer's speed on a 20-minute session (2.4 M samples): how long it takes from navigation
 * to ready, and how fast it pans, in headless chromium served by `emgkit view`'s server. The
 * same session, page and measurement as the browser test (test/viewer-fixtures.ts,
 * test/viewer-page.ts), `VIEWER_BENCH_ATTEMPTS` (default 3) fresh page loads, one markdown
 * table. Exits 1 when the best open time is over 3 s or the best pan rate under 30 fps (the
 * viewer issue's limits), or when an attempt shows an error.
 *   pnpm --filter @emgkit/cli bench   (node --import tsx bench/viewer.bench.ts)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { startViewServer, type ViewServer } from "../src/view/server.js";
import { ensureViewerBuilt } from "../test/viewer-build.js";
import { LONG_SAMPLES, makeLongSession } from "../test/viewer-fixtures.js";
import {
  type LongSessionMeasurement,
  launchChromium,
  longSessionProblems,
  MAX_OPEN_MS,
  MIN_PAN_FPS,
  measureLongSession,
  PAN_MS,
  PAN_STEP,
} from "../test/viewer-page.js";

function attemptsWanted(): number {
  const raw = process.env.VIEWER_BENCH_ATTEMPTS ?? "3";
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`VIEWER_BENCH_ATTEMPTS must be a positive integer, not "${raw}"`);
  }
  return n;
}

function row(cells: (string | number | null)[]): string {
  return `| ${cells.map((c) => (c === null ? "–" : String(c))).join(" | ")} |`;
}

async function main(): Promise<number> {
  const attempts = attemptsWanted();
  const root = mkdtempSync(join(tmpdir(), "emgkit-viewer-bench-"));
  let browser: Browser | undefined;
  let server: ViewServer | undefined;
  try {
    browser = await launchChromium();
    const build = ensureViewerBuilt();
    const simulated = performance.now();
    const longSession = await makeLongSession(root);
    const simulateMs = performance.now() - simulated;
    server = await startViewServer({ root, assetsDir: build.dist, host: "127.0.0.1", port: 0 });
    const url = `${server.url}?session=${encodeURIComponent(longSession)}`;
    console.log(
      `viewer bench: 20-minute session (${LONG_SAMPLES.toLocaleString("en")} samples, simulated in ` +
        `${(simulateMs / 1000).toFixed(1)} s), viewer ${build.built ? `built in ${(build.ms / 1000).toFixed(1)} s` : "already built"}, ` +
        `${attempts} page load(s), pan(${PAN_STEP}) once per frame for ${PAN_MS} ms, ${cpus().length} cores, ` +
        `load ${loadavg()[0]?.toFixed(2)}\n`,
    );

    const measured: LongSessionMeasurement[] = [];
    const problems: string[] = [];
    for (let i = 1; i <= attempts; i++) {
      const m = await measureLongSession(browser, url, `bench-session-20min-${i}`);
      measured.push(m);
      for (const p of longSessionProblems(m)) problems.push(`attempt ${i}: ${p}`);
    }

    console.log(
      row([
        "attempt",
        "navigation→ready ms",
        "openMs",
        "pan fps",
        "pan() mean ms",
        "pan() max ms",
        "load avg",
      ]),
    );
    console.log(row(["---:", "---:", "---:", "---:", "---:", "---:", "---:"]));
    measured.forEach((m, i) => {
      console.log(
        row([
          i + 1,
          m.navigationToReadyMs,
          m.openMs,
          m.panFps,
          m.panMsMean,
          m.panMsMax,
          m.loadAverage,
        ]),
      );
    });
    const bestOpenMs = Math.min(...measured.map((m) => m.navigationToReadyMs));
    const bestFps = Math.max(...measured.map((m) => m.panFps));
    const openOk = bestOpenMs <= MAX_OPEN_MS;
    const panOk = bestFps >= MIN_PAN_FPS;
    console.log(
      `\nlimits: navigation→ready ≤ ${MAX_OPEN_MS} ms, pan ≥ ${MIN_PAN_FPS} fps (best of ${attempts})\n` +
        `best: ${bestOpenMs} ms ${openOk ? "ok" : "OVER"}, ${bestFps} fps ${panOk ? "ok" : "UNDER"}`,
    );
    for (const p of problems) console.error(p);
    return openOk && panOk && problems.length === 0 ? 0 : 1;
  } finally {
    await browser?.close();
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  }
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error);
  return 1;
});
