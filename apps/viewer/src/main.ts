/**
 * The viewer's shell: a header with "Open file", a sidebar listing the served folder (when
 * `emgkit view` serves the page), tabs "Session" (the session view, then the predictions and
 * streaming panels) and "Runs", and a status bar. Sessions open from the sidebar, a dropped or
 * picked file, or `?session=<served path>` at load.
 */
// First, so that the download of `?session=` starts before anything else is evaluated.
import "./shell/early-download.js";
import { openSession } from "@emgkit/emg-io";
import type { AppContext, FileEntry, OpenSession, ViewRange } from "./app-context.js";
import { Observable } from "./app-context.js";
import { mountPredictions, mountStreaming } from "./predict/index.js";
import { mountRuns } from "./runs/index.js";
import { SessionView } from "./session/session-view.js";
import { download } from "./shell/download.js";
import { earlyDownload } from "./shell/early-download.js";
import { FileBrowser, formatBytes } from "./shell/file-browser.js";
import { acceptDrops, openFileButton } from "./shell/file-drop.js";
import { detectServedFiles, servedFileUrl } from "./shell/http-files.js";
import { StatusBar } from "./shell/status-bar.js";
import { Tabs } from "./shell/tabs.js";
import { installTestHooks } from "./shell/test-hooks.js";
import { warmUpSessionReader } from "./shell/warm-up.js";
import "./styles.css";

/** Without `?session=`, h5wasm is loaded this long after start-up (the page comes first). */
const WARM_UP_DELAY_MS = 500;

async function main(): Promise<void> {
  const status = new StatusBar();
  status.catchUncaught();
  // `?session=` is downloading already, in a worker (shell/early-download.ts).
  const early = earlyDownload;
  const requested = early?.path ?? null;
  early?.onProgress(downloadProgress(fileName(requested ?? ""), status));
  // h5wasm loads while the session downloads, or once the page has settled.
  setTimeout(
    () =>
      warmUpSessionReader().catch(() => {
        // A real open reports the same problem with the file's name.
      }),
    requested === null ? WARM_UP_DELAY_MS : 0,
  );
  const files = await detectServedFiles();
  const context: AppContext = {
    files,
    session: new Observable<OpenSession | null>(null),
    range: new Observable<ViewRange>({ start: 0, end: 0 }),
  };
  const view = new SessionView(context);
  const { hooks, setState } = installTestHooks(
    (samples) => view.pan(samples),
    () => view.stats(),
  );

  // Opens run one after another; a newer request supersedes one that has not started reading.
  let queue: Promise<void> = Promise.resolve();
  let latest = 0;
  const open = (
    name: string,
    bytes: () => Promise<Uint8Array | Blob>,
    servedPath: string | null,
    startedAt?: number,
  ) => {
    const ticket = ++latest;
    queue = queue.then(async () => {
      if (ticket !== latest) return;
      const started = startedAt ?? performance.now();
      setState("loading");
      hooks.openMs = null;
      status.show(`Opening ${name}…`);
      browser.select(servedPath);
      try {
        const data = await bytes();
        const fetched = performance.now();
        const size = data instanceof Blob ? data.size : data.byteLength;
        status.show(`Opening ${name} (${formatBytes(size)})…`);
        const session = await openSession(data, name);
        const parsed = performance.now();
        const previous = context.session.get();
        let opened: ReturnType<SessionView["open"]>;
        const openedLine = () =>
          `${name}: ${session.length.toLocaleString("en")} samples, opened in ${((hooks.openMs ?? 0) / 1000).toFixed(2)} s`;
        try {
          opened = view.open({ name, session }, (fraction) => {
            if (ticket === latest) {
              status.show(`${openedLine()}; reading it through: ${Math.round(fraction * 100)}%`);
            }
          });
        } catch (error) {
          session.close();
          throw error;
        }
        hooks.openMs = performance.now() - started;
        const timings: Record<string, number> = {
          startAtMs: started,
          fetchMs: fetched - started,
          openMs: parsed - fetched,
          firstViewMs: performance.now() - parsed,
          totalMs: hooks.openMs,
        };
        hooks.openTimings = timings;
        setState("ready");
        context.session.set({ name, session });
        previous?.session.close();
        const url = new URL(location.href);
        if (servedPath === null) url.searchParams.delete("session");
        else url.searchParams.set("session", servedPath);
        history.replaceState(null, "", url);
        status.show(openedLine());
        opened.whenRead.then(
          () => {
            const { loaded } = opened;
            timings.readThroughMs = performance.now() - started;
            timings.readMs = loaded.timings.readMs;
            timings.pyramidMs = loaded.timings.pyramidMs;
            if (ticket === latest && loaded.read === loaded.length) {
              status.show(
                `${openedLine()}, read through in ${(timings.readThroughMs / 1000).toFixed(2)} s`,
              );
            }
          },
          (error) => status.error(error, `Cannot read ${name}: `),
        );
      } catch (error) {
        setState("error");
        status.error(error, `Cannot open ${name}: `);
      }
    });
  };
  const openServed = (path: string) => {
    const { bytes, startedAt } = startDownload(path, status);
    open(fileName(path), () => bytes, path, startedAt);
  };
  const openLocal = (file: File) => open(file.name, async () => file, null);

  const browser = new FileBrowser(files, (entry: FileEntry) => openServed(entry.path));

  // Layout.
  const app = document.getElementById("app") ?? document.body;
  const header = document.createElement("header");
  header.className = "app-header";
  const brand = document.createElement("span");
  brand.className = "brand";
  brand.textContent = "emgkit viewer";
  header.append(brand, openFileButton(openLocal));

  const sessionPanel = document.createElement("section");
  sessionPanel.className = "panel session-panel";
  const predictions = document.createElement("div");
  predictions.className = "predictions-panel";
  const streaming = document.createElement("div");
  streaming.className = "streaming-panel";
  sessionPanel.append(view.element, predictions, streaming);
  const runsPanel = document.createElement("section");
  runsPanel.className = "panel runs-panel";
  const runs = document.createElement("div");
  runsPanel.append(runs);
  const tabs = new Tabs([
    { id: "session", title: "Session", panel: sessionPanel },
    { id: "runs", title: "Runs", panel: runsPanel },
  ]);
  header.append(tabs.bar);

  const mainArea = document.createElement("main");
  mainArea.className = "main-area";
  mainArea.append(sessionPanel, runsPanel);
  const body = document.createElement("div");
  body.className = "app-body";
  body.append(browser.element, mainArea);
  app.append(header, body, status.element);
  acceptDrops(document.body, openLocal);

  for (const [name, mount, container] of [
    ["predictions", mountPredictions, predictions],
    ["streaming", mountStreaming, streaming],
    ["runs", mountRuns, runs],
  ] as const) {
    try {
      mount(container, context);
    } catch (error) {
      status.error(error, `The ${name} panel failed: `);
    }
  }

  if (files !== null) void browser.navigate((requested ?? "").split("/").slice(0, -1).join("/"));
  if (early !== null) open(fileName(early.path), () => early.take(), early.path, early.startedAt);
}

function fileName(path: string): string {
  return path.split("/").pop() ?? path;
}

/**
 * Starts downloading a served file (in a worker), with progress in the status bar. The promise
 * is handled at once so that a failure waits, unreported, for the open that awaits it.
 */
function startDownload(
  path: string,
  status: StatusBar,
): { bytes: Promise<Uint8Array>; startedAt: number } {
  const startedAt = performance.now();
  const bytes = download(servedFileUrl(path), downloadProgress(fileName(path), status));
  bytes.catch(() => {});
  return { bytes, startedAt };
}

function downloadProgress(
  name: string,
  status: StatusBar,
): (received: number, total: number) => void {
  return (received, total) =>
    status.show(`Downloading ${name}: ${formatBytes(received)} of ${formatBytes(total)}`);
}

void main();
