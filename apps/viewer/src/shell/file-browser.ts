/**
 * The sidebar: the served folder's entries, folders first. Folders (and runs, experiments)
 * open as folders, sessions open in the session view, other files open in a new tab.
 */
import type { FileEntry, FileSource } from "../app-context.js";
import { errorMessage } from "./status-bar.js";

export class FileBrowser {
  readonly element: HTMLElement;
  private readonly crumbs: HTMLDivElement;
  private readonly list: HTMLUListElement;
  private dir = "";
  private selected: string | null = null;

  constructor(
    private readonly files: FileSource | null,
    private readonly onOpenSession: (entry: FileEntry) => void,
  ) {
    this.element = document.createElement("aside");
    this.element.className = "sidebar";
    this.element.dataset.testid = "file-browser";
    this.crumbs = document.createElement("div");
    this.crumbs.className = "crumbs";
    this.list = document.createElement("ul");
    this.list.className = "file-list";
    this.element.append(this.crumbs, this.list);
    if (files === null) {
      const note = document.createElement("p");
      note.className = "sidebar-note";
      note.textContent =
        "No served folder: this page is static. Drop an .hdf5 session anywhere, or use “Open file”. Run `emgkit view <folder>` to browse a folder here.";
      this.element.append(note);
    }
  }

  /** Shows folder `dir` ("" is the served root). */
  async navigate(dir: string): Promise<void> {
    if (this.files === null) return;
    this.dir = dir;
    this.renderCrumbs();
    this.list.replaceChildren(item("loading…", "muted"));
    try {
      const entries = await this.files.list(dir);
      if (this.dir !== dir) return;
      this.render(entries);
    } catch (error) {
      this.list.replaceChildren(item(errorMessage(error), "error"));
    }
  }

  /** Highlights the entry of the open session. */
  select(path: string | null): void {
    this.selected = path;
    for (const element of this.list.querySelectorAll<HTMLElement>("[data-path]")) {
      element.classList.toggle("selected", element.dataset.path === path);
    }
  }

  private renderCrumbs(): void {
    const parts = this.dir === "" ? [] : this.dir.split("/");
    const root = crumb("served folder", () => void this.navigate(""));
    const links = parts.map((part, i) =>
      crumb(part, () => void this.navigate(parts.slice(0, i + 1).join("/"))),
    );
    this.crumbs.replaceChildren(root, ...links.flatMap((link) => [text(" / "), link]));
  }

  private render(entries: FileEntry[]): void {
    const rows: HTMLLIElement[] = [];
    if (this.dir !== "") {
      const up = this.dir.split("/").slice(0, -1).join("/");
      rows.push(entryRow("..", "dir", "parent folder", () => void this.navigate(up)));
    }
    for (const entry of entries) {
      const isFolder = entry.kind === "dir" || entry.kind === "run" || entry.kind === "experiment";
      const row = isFolder
        ? entryRow(entry.name, entry.kind, entry.path, () => void this.navigate(entry.path))
        : entry.kind === "session"
          ? entryRow(entry.name, entry.kind, entry.path, () => this.onOpenSession(entry))
          : linkRow(entry, this.files as FileSource);
      row.dataset.path = entry.path;
      row.dataset.kind = entry.kind;
      if (entry.kind === "session") row.dataset.testid = "session-entry";
      if (!isFolder && entry.size > 0) row.title = `${entry.path} (${formatBytes(entry.size)})`;
      rows.push(row);
    }
    if (entries.length === 0) rows.push(item("(empty folder)", "muted"));
    this.list.replaceChildren(...rows);
    this.select(this.selected);
  }
}

function entryRow(name: string, kind: string, title: string, onClick: () => void): HTMLLIElement {
  const row = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.className = `entry kind-${kind}`;
  button.textContent = name;
  button.title = title;
  button.addEventListener("click", onClick);
  row.append(button);
  return row;
}

function linkRow(entry: FileEntry, files: FileSource): HTMLLIElement {
  const row = document.createElement("li");
  const link = document.createElement("a");
  link.className = `entry kind-${entry.kind}`;
  link.href = files.url(entry.path);
  link.target = "_blank";
  link.rel = "noopener";
  link.textContent = entry.name;
  row.append(link);
  return row;
}

function item(content: string, className: string): HTMLLIElement {
  const row = document.createElement("li");
  row.className = className;
  row.textContent = content;
  return row;
}

function crumb(name: string, onClick: () => void): HTMLButtonElement {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "crumb";
  button.textContent = name;
  button.addEventListener("click", onClick);
  return button;
}

function text(content: string): Text {
  return document.createTextNode(content);
}

/** Bytes as B, kB, MB or GB. */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
