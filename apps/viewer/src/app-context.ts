/**
 * What the viewer's views share: where files come from, the open session and the visible time
 * range. The session view owns the time axis; panels below it (emissions, decodings, streaming)
 * draw on the same horizontal layout, so sample `s` is at the same x everywhere.
 */
import type { Session } from "@emgkit/emg-io";

/** What a served file is, as `emgkit view`'s listing names it. */
export type FileKind = "session" | "run" | "experiment" | "model" | "csv" | "dir" | "file";

/** One entry of a served folder. */
export interface FileEntry {
  name: string;
  /** Relative to the served root, `/`-separated, no leading slash. */
  path: string;
  kind: FileKind;
  /** Bytes (0 for folders). */
  size: number;
}

/**
 * Files of the folder `emgkit view` serves (read-only). Absent in the static build, where files
 * come by drag and drop only.
 */
export interface FileSource {
  /** Entries of a folder, relative to the served root ("" is the root). */
  list(dir: string): Promise<FileEntry[]>;
  /** A served file's bytes. */
  read(path: string): Promise<ArrayBuffer>;
  /** A URL of a served file (e.g. for an experiment report's SVG figures). */
  url(path: string): string;
}

/** A session the viewer has open. */
export interface OpenSession {
  /** File name, for titles and errors. */
  name: string;
  session: Session;
}

/** The visible samples of the open session, `[start, end)`. */
export interface ViewRange {
  start: number;
  end: number;
}

/** A value views read and subscribe to. */
export class Observable<T> {
  private readonly listeners = new Set<(value: T) => void>();

  constructor(private value: T) {}

  get(): T {
    return this.value;
  }

  set(value: T): void {
    this.value = value;
    for (const listener of this.listeners) listener(value);
  }

  /** Calls `listener` on every change; returns the function that unsubscribes it. */
  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Pixels left of the time axis in every time-aligned view (channel names, row labels). */
export const GUTTER_PX = 96;

/** x (CSS pixels, from the view's left edge) of sample `sample` in a view `width` pixels wide. */
export function sampleToX(sample: number, range: ViewRange, width: number): number {
  return GUTTER_PX + ((sample - range.start) / (range.end - range.start)) * (width - GUTTER_PX);
}

/** The state the whole app shares. */
export interface AppContext {
  files: FileSource | null;
  session: Observable<OpenSession | null>;
  range: Observable<ViewRange>;
}

/**
 * Hooks for the browser tests (`window.__emgkitViewer`): the session view fills them in.
 * `state` mirrors `document.body.dataset.viewerState`.
 */
export interface ViewerTestHooks {
  state: "idle" | "loading" | "ready" | "error";
  /** Milliseconds from the start of opening the last session to its first full draw. */
  openMs: number | null;
  /** Moves the visible range by `samples` (positive: later) and redraws synchronously. */
  pan(samples: number): void;
}
