/**
 * Browser helpers of the viewer tests and of `bench/viewer.bench.ts`: Debian's chromium through
 * playwright-core, errors a page reports, screenshots, and the session view's open-time and
 * pan-rate measurements. Free of vitest, so the benchmark can run it under plain node.
 */
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.EMGKIT_CHROMIUM ?? "/usr/bin/chromium";

/** Screenshots and perf.json (gitignored); also copied to $OUT when it is set. */
export const RESULTS_DIR = fileURLToPath(new URL("../test-results/viewer", import.meta.url));

/** The issue's limits for a 20-minute session; `pnpm bench` checks them, the tests only report. */
export const MAX_OPEN_MS = 3000;
export const MIN_PAN_FPS = 30;
/** Samples moved per frame while panning (0.25 s at 2 kHz). */
export const PAN_STEP = 500;
/** How long the pan is measured for. */
export const PAN_MS = 2000;

/** Starts headless chromium, or fails saying how to install it (the tests never skip). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the viewer's browser tests need Debian's chromium at ${CHROMIUM}: install it with ` +
        "`sudo apt-get install -y chromium` (.ci/run does this), or set EMGKIT_CHROMIUM to a chromium binary",
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--disable-background-networking",
      "--no-sandbox",
      "--disable-dev-shm-usage",
      "--disable-component-update",
      "--disable-default-apps",
      "--disable-extensions",
      "--disable-sync",
      "--no-first-run",
      "--metrics-recording-only",
      "--mute-audio",
    ],
  });
}

/** A fresh page (one context each, so no state leaks between pages) and its error list. */
export async function newPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  return { page, errors: collectErrors(page) };
}

/** What went wrong on a page: console errors, uncaught exceptions, failed requests. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") {
      const at = message.location();
      errors.push(`console: ${message.text()}${at.url ? ` (${at.url}:${at.lineNumber})` : ""}`);
    }
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.stack ?? error.message}`));
  page.on("requestfailed", (request) => {
    const failure = request.failure()?.errorText ?? "failed";
    // A navigation away cancels requests in flight; that is not an error of the viewer.
    if (failure !== "net::ERR_ABORTED") errors.push(`request: ${request.url()} ${failure}`);
  });
  return errors;
}

/** Saves a full-page screenshot as `<name>.png` in RESULTS_DIR and, when set, in $OUT. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  copyToOut(path);
  return path;
}

/** Copies a result file to $OUT (if set), keeping its name. */
export function copyToOut(path: string): void {
  const out = process.env.OUT;
  if (out === undefined || out === "") return;
  const dir = join(out, "viewer");
  mkdirSync(dir, { recursive: true });
  copyFileSync(path, join(dir, path.split("/").pop() as string));
}

/** The hooks the session view exposes to tests (apps/viewer/src/app-context.ts). */
interface ViewerHooks {
  state: "idle" | "loading" | "ready" | "error";
  openMs: number | null;
  pan(samples: number): void;
  stats?(): Record<string, number>;
}

/** Waits until the viewer's state is `ready` or `error`; returns it and when (page ms). */
export async function waitForViewer(
  page: Page,
  timeoutMs = 30_000,
): Promise<{ state: string; atMs: number; openMs: number | null }> {
  try {
    const handle = await page.waitForFunction(
      () => {
        const state = document.body?.dataset.viewerState;
        if (state !== "ready" && state !== "error") return false;
        const hooks = (window as unknown as { __emgkitViewer?: ViewerHooks }).__emgkitViewer;
        return { state, atMs: performance.now(), openMs: hooks?.openMs ?? null };
      },
      undefined,
      { timeout: timeoutMs, polling: "raf" },
    );
    return (await handle.jsonValue()) as { state: string; atMs: number; openMs: number | null };
  } catch (error) {
    // Say what the page shows instead: its state and status bar, and a screenshot.
    const shown = await page
      .evaluate(() => ({
        state: document.body?.dataset.viewerState,
        status: document.querySelector('[data-testid="status"]')?.textContent,
      }))
      .catch(() => null);
    await screenshot(page, "failure-open").catch(() => undefined);
    throw new Error(
      `the viewer did not open the session in ${timeoutMs} ms (state ${shown?.state}, status "${shown?.status}"; screenshot failure-open.png): ${(error as Error).message}`,
    );
  }
}

/** Frames drawn while panning by `step` samples once per animation frame for `durationMs`. */
export interface PanMeasurement {
  fps: number;
  frames: number;
  elapsedMs: number;
  /** Time spent inside `pan()` per frame (it redraws synchronously). */
  panMsMean: number;
  panMsMax: number;
  /** The longest time between two frames. */
  longestFrameMs: number;
}

/** Pans the open session once per `requestAnimationFrame` and counts frames per second. */
export async function measurePan(
  page: Page,
  step: number,
  durationMs = 2000,
): Promise<PanMeasurement> {
  // No named functions inside: tsx (the benchmark) compiles with esbuild's keepNames, which
  // wraps them in a `__name` helper that does not exist in the page.
  return page.evaluate(
    async ({ step, durationMs }) => {
      const hooks = (window as unknown as { __emgkitViewer?: ViewerHooks }).__emgkitViewer;
      if (hooks === undefined) throw new Error("window.__emgkitViewer is missing");
      let frames = 0;
      let panTotal = 0;
      let panMax = 0;
      let longest = 0;
      const start = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
      let now = start;
      // Each pan runs in its frame's animation callbacks (the await resumes in their microtasks).
      while (now - start < durationMs) {
        const before = performance.now();
        hooks.pan(step);
        const took = performance.now() - before;
        panTotal += took;
        panMax = Math.max(panMax, took);
        frames++;
        const next = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
        longest = Math.max(longest, next - now);
        now = next;
      }
      const elapsed = now - start;
      return {
        fps: (frames / elapsed) * 1000,
        frames,
        elapsedMs: elapsed,
        panMsMean: frames === 0 ? 0 : panTotal / frames,
        panMsMax: panMax,
        longestFrameMs: longest,
      };
    },
    { step, durationMs },
  );
}

/** One page load of the 20-minute session and a pan measurement on it. */
export interface LongSessionMeasurement {
  /** From the navigation's start to `viewerState === "ready"`, in the page's clock. */
  navigationToReadyMs: number;
  /** The viewer's own figure (`__emgkitViewer.openMs`): from opening the file to its first draw. */
  openMs: number | null;
  /** From `page.goto` to ready, in this process's clock. */
  wallMs: number;
  panFps: number;
  panFrames: number;
  panMsMean: number;
  panMsMax: number;
  longestFrameMs: number;
  /** The range readout (`data-testid="range-readout"`) before and after the pan. */
  rangeBefore: string;
  rangeAfter: string;
  /** Draws of the session view during the pan (`__emgkitViewer.stats().draws`). */
  panDraws: number;
  /** Errors the page reported from navigation to the end of the pan. */
  errors: string[];
  /** The 1-minute load average of this machine when the measurement ended. */
  loadAverage: number;
}

/**
 * Opens `url` (a 20-minute session) in a fresh page, waits until it is ready, saves the
 * screenshot `<name>.png`, pans by {@link PAN_STEP} samples once per animation frame for
 * {@link PAN_MS} and saves `<name>-panned.png`. Throws when the session does not open.
 */
export async function measureLongSession(
  browser: Browser,
  url: string,
  name: string,
): Promise<LongSessionMeasurement> {
  const { page, errors } = await newPage(browser);
  try {
    const started = Date.now();
    await page.goto(url);
    const opened = await waitForViewer(page, 60_000);
    const wallMs = Date.now() - started;
    if (opened.state !== "ready") {
      const status = await page.getByTestId("status").first().textContent();
      throw new Error(
        `the 20-minute session did not open: state ${opened.state}, status "${status}"; ${errors.join("; ")}`,
      );
    }
    await screenshot(page, name);
    const before = await viewedRange(page);
    const pan = await measurePan(page, PAN_STEP, PAN_MS);
    const after = await viewedRange(page);
    await screenshot(page, `${name}-panned`);
    return {
      // performance.now() counts from the navigation's start.
      navigationToReadyMs: Math.round(opened.atMs),
      openMs: opened.openMs === null ? null : Math.round(opened.openMs),
      wallMs,
      panFps: Math.round(pan.fps * 10) / 10,
      panFrames: pan.frames,
      panMsMean: Math.round(pan.panMsMean * 100) / 100,
      panMsMax: Math.round(pan.panMsMax * 100) / 100,
      longestFrameMs: Math.round(pan.longestFrameMs * 10) / 10,
      rangeBefore: before.readout,
      rangeAfter: after.readout,
      panDraws: after.draws - before.draws,
      errors: [...errors],
      loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    };
  } finally {
    await page.context().close();
  }
}

/** What is wrong with a measurement besides its speed: errors, a pan that moved or drew nothing. */
export function longSessionProblems(m: LongSessionMeasurement): string[] {
  const problems = m.errors.map((e) => `page error: ${e}`);
  if (m.rangeBefore === "" || m.rangeAfter === m.rangeBefore) {
    problems.push(`the pan did not move the range (readout "${m.rangeAfter}")`);
  }
  if (m.panDraws <= 0) problems.push("the pan drew nothing");
  if (!(m.panFps > 0)) problems.push(`no frames while panning (${m.panFps} fps)`);
  return problems;
}

/** The range readout's text and the session view's draw count. */
async function viewedRange(page: Page): Promise<{ readout: string; draws: number }> {
  return page.evaluate(() => {
    const hooks = (window as unknown as { __emgkitViewer?: ViewerHooks }).__emgkitViewer;
    return {
      readout: document.querySelector('[data-testid="range-readout"]')?.textContent ?? "",
      draws: hooks?.stats?.().draws ?? 0,
    };
  });
}
