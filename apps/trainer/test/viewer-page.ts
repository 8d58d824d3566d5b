/**
 * Browser helpers of the viewer tests: Debian's chromium through playwright-core, errors a
 * page reports, screenshots, and the session view's open-time and pan-rate measurements.
 */
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.EMGKIT_CHROMIUM ?? "/usr/bin/chromium";

/** Screenshots and perf.json (gitignored); also copied to $OUT when it is set. */
export const RESULTS_DIR = fileURLToPath(new URL("../test-results/viewer", import.meta.url));

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
  return page.evaluate(
    ({ step, durationMs }) =>
      new Promise<PanMeasurement>((resolve, reject) => {
        const hooks = (window as unknown as { __emgkitViewer?: ViewerHooks }).__emgkitViewer;
        if (hooks === undefined) {
          reject(new Error("window.__emgkitViewer is missing"));
          return;
        }
        let frames = 0;
        let panTotal = 0;
        let panMax = 0;
        let longest = 0;
        let start = -1;
        let last = 0;
        const frame = (now: number) => {
          if (start < 0) {
            start = now;
            last = now;
          } else {
            longest = Math.max(longest, now - last);
            last = now;
          }
          const elapsed = now - start;
          if (elapsed >= durationMs) {
            resolve({
              fps: (frames / elapsed) * 1000,
              frames,
              elapsedMs: elapsed,
              panMsMean: frames === 0 ? 0 : panTotal / frames,
              panMsMax: panMax,
              longestFrameMs: longest,
            });
            return;
          }
          const before = performance.now();
          hooks.pan(step);
          const took = performance.now() - before;
          panTotal += took;
          panMax = Math.max(panMax, took);
          frames++;
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
    { step, durationMs },
  );
}
