/**
 * The viewer in a real browser: `emgkit view`'s server serving the built viewer and a folder
 * of simulated sessions, a tiny trained run and an experiment, driven by Debian's chromium
 * (headless, through playwright-core). Checks what renders, that no errors occur, saves
 * screenshots to test-results/viewer/ (and $OUT), and reports how fast a 20-minute session
 * opens and pans (test-results/viewer/perf.json, one page load). The 3 s and 30 fps limits are
 * checked by the benchmark (`bench/viewer.bench.ts`, `pnpm bench`), not here.
 * Without /usr/bin/chromium every test fails with the command that installs it: CI must not
 * pass by skipping them.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startViewServer, type ViewServer } from "../src/view/server.js";
import { ensureViewerBuilt, type ViewerBuild } from "./viewer-build.js";
import { makeViewerFixtures, type ViewerFixtures } from "./viewer-fixtures.js";
import {
  copyToOut,
  launchChromium,
  MAX_OPEN_MS,
  MIN_PAN_FPS,
  measureLongSession,
  newPage as openPage,
  PAN_STEP,
  RESULTS_DIR,
  screenshot,
  waitForViewer,
} from "./viewer-page.js";

let root: string;
let build: ViewerBuild;
let fixtures: ViewerFixtures;
let server: ViewServer;
let browser: Browser;

/** Why the setup failed; every test then fails with it (a failed hook reads as "skipped"). */
let setupError: unknown;

beforeAll(async () => {
  try {
    // Chromium first: without it nothing else is worth the time.
    browser = await launchChromium();
    build = ensureViewerBuilt();
    root = mkdtempSync(join(tmpdir(), "emgkit-viewer-browser-"));
    fixtures = await makeViewerFixtures(root);
    server = await startViewServer({ root, assetsDir: build.dist, host: "127.0.0.1", port: 0 });
  } catch (error) {
    setupError = error;
  }
}, 300_000);

beforeEach(() => {
  if (setupError !== undefined) throw setupError;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

/** A fresh page (one context each, so no state leaks between tests) and its error list. */
function newPage(): Promise<{ page: Page; errors: string[] }> {
  return openPage(browser);
}

function sessionUrl(path: string): string {
  return `${server.url}?session=${encodeURIComponent(path)}`;
}

/** Shows one of the shell's tabs (`Session`, `Runs`...). */
async function openTab(page: Page, name: string): Promise<void> {
  const byTestId = page.locator(`[data-testid="tab-${name.toLowerCase()}"]`);
  const tab = (await byTestId.count()) > 0 ? byTestId : page.getByRole("tab", { name });
  await tab.first().click();
}

describe("viewer in chromium", () => {
  it("opens a simulated session: channels, keystrokes, ground truth, prompts, decodings", async () => {
    const { page, errors } = await newPage();
    await page.goto(sessionUrl(fixtures.shortSession));
    const opened = await waitForViewer(page);
    expect(opened.state).toBe("ready");

    await expect.poll(() => page.getByTestId("channel-label").count()).toBe(32);
    const labels = await page.getByTestId("channel-label").allTextContents();
    expect(new Set(labels).size).toBe(32);

    const marks = page.getByTestId("keystroke-mark");
    expect(await marks.count()).toBeGreaterThan(0);
    // Each mark shows its key's label and names the key (pynput's name) in data-key.
    const keys = await marks.evaluateAll((nodes) =>
      nodes.map((n) => ({ label: n.textContent ?? "", key: (n as HTMLElement).dataset.key ?? "" })),
    );
    expect(keys.every((k) => k.label !== "" && k.key !== "")).toBe(true);

    // The ground truth of the visible range, as text.
    const truth = (await page.getByTestId("ground-truth").first().getAttribute("data-text")) ?? "";
    expect(truth.trim().length).toBeGreaterThan(0);
    expect(await page.getByTestId("prompt").count()).toBeGreaterThan(0);
    await screenshot(page, "session");

    // The predictions panel loads the tiny run's model and decodes the visible range.
    const decoders = await decodeWithRun(page, fixtures.run);
    expect(decoders).toEqual(["greedy", "beam"]);
    await screenshot(page, "session-predictions");

    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("shows a run's curves, runs compared and an experiment's report", async () => {
    const { page, errors } = await newPage();
    await page.goto(server.url);
    await openTab(page, "Runs");

    const runBox = page.locator(`[data-testid="run-item"][data-run-path="${fixtures.run}"] input`);
    await runBox.check();
    const charts = page.locator('[data-testid="run-panel"] [data-testid="run-chart"]');
    await expect.poll(() => charts.count()).toBeGreaterThanOrEqual(2);
    const chartIds = await charts.evaluateAll((nodes) =>
      nodes.map((n) => (n as HTMLElement).dataset.chart),
    );
    expect(chartIds).toEqual(expect.arrayContaining(["loss", "cer", "lr"]));
    // One-epoch runs draw single points (markers), longer ones lines.
    expect(await charts.locator("svg path, svg circle").count()).toBeGreaterThan(0);
    expect(await page.getByTestId("run-report").locator("table").count()).toBeGreaterThan(0);
    await screenshot(page, "runs-run");

    const other = `[data-testid="run-item"][data-run-path="${fixtures.experimentRun}"] input`;
    await page.locator(other).check();
    const compared = page.locator('[data-testid="runs-compare"] [data-testid="run-chart"]');
    await expect.poll(() => compared.count()).toBeGreaterThanOrEqual(2);
    const legend = await compared.first().locator(".legend text").allTextContents();
    expect(legend.length).toBe(2);
    expect(await page.getByTestId("runs-compare-table").locator("tbody tr").count()).toBe(2);
    await screenshot(page, "runs-compare");

    await page
      .locator(`[data-testid="experiment-item"][data-experiment-path="${fixtures.experiment}"]`)
      .click();
    const report = page.getByTestId("experiment-report");
    await expect.poll(() => report.locator("table").count()).toBe(1);
    const images = report.locator("img");
    expect(await images.count()).toBeGreaterThan(0);
    await expect
      .poll(() =>
        images.evaluateAll((nodes) =>
          nodes.every(
            (n) => (n as HTMLImageElement).complete && (n as HTMLImageElement).naturalWidth > 0,
          ),
        ),
      )
      .toBe(true);
    await screenshot(page, "runs-experiment");

    // A link to one of the experiment's runs opens the run here.
    await report.locator("a[data-run-path]").first().click();
    await expect
      .poll(() => page.getByTestId("run-title").textContent())
      .toBe(fixtures.experimentRun.split("/").pop());

    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("opens and pans a 20-minute session, and reports its open time and pan rate", async () => {
    // One page load, measured and reported; whether it meets the limits (3 s, 30 fps)
    // is the benchmark's to say: on 2 shared cores a timed test would fail on a busy machine.
    const measured = await measureLongSession(
      browser,
      sessionUrl(fixtures.longSession),
      "session-20min",
    );
    const perf = {
      samples: fixtures.longSamples,
      navigationToReadyMs: measured.navigationToReadyMs,
      panFps: measured.panFps,
      limits: { maxOpenMs: MAX_OPEN_MS, minPanFps: MIN_PAN_FPS, checkedBy: "pnpm bench" },
      panStepSamples: PAN_STEP,
      measured,
      cpus: cpus().length,
      viewerBuiltMs: build.built ? Math.round(build.ms) : null,
      fixturesMs: fixtures.timings,
      date: new Date().toISOString(),
    };
    const perfPath = join(RESULTS_DIR, "perf.json");
    writeFileSync(perfPath, `${JSON.stringify(perf, null, 2)}\n`);
    copyToOut(perfPath);
    console.log(
      `viewer perf: 20-min session (${fixtures.longSamples} samples) ready ` +
        `${measured.navigationToReadyMs} ms after navigation (openMs ${measured.openMs}; limit ${MAX_OPEN_MS}), ` +
        `pans at ${measured.panFps} fps (limit ${MIN_PAN_FPS}; pan() ${measured.panMsMean} ms mean, ` +
        `${measured.panMsMax} ms max), load ${measured.loadAverage}; perf.json`,
    );

    expect(measured.errors).toEqual([]);
    expect(measured.rangeBefore).not.toBe("");
    expect(measured.rangeAfter).not.toBe(measured.rangeBefore);
    expect(measured.panDraws).toBeGreaterThan(0);
    expect(measured.panFps).toBeGreaterThan(0);
    expect(measured.navigationToReadyMs).toBeGreaterThan(0);
  });
});

/**
 * Picks `runPath`'s model in the predictions panel (apps/viewer/src/predict), runs it over
 * the visible range and waits for both decodings; returns the decoders of the rates table.
 */
async function decodeWithRun(page: Page, runPath: string): Promise<string[]> {
  const label = `${runPath} (run)`;
  const picker = page.getByTestId("predict-model");
  await expect.poll(() => picker.locator("option").allTextContents()).toContain(label);
  await picker.selectOption({ label });
  const status = page.getByTestId("predict-status");
  await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/^Loaded /);
  await page.getByTestId("predict-run").click();
  const decoders = page.getByTestId("predict-rates").locator("tr td:first-child");
  await expect
    .poll(() => decoders.allTextContents(), { timeout: 90_000 })
    .toEqual(expect.arrayContaining(["greedy", "beam"]));
  // The decodings' text (empty for a model this small is fine: it was decoded and scored).
  await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe("");
  const decodedGreedy = page.getByTestId("decoded-greedy");
  if ((await decodedGreedy.count()) > 0) expect(await decodedGreedy.first().isVisible()).toBe(true);
  return decoders.allTextContents();
}
