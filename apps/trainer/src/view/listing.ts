/**
 * `GET /api/files?dir=<relative>`: the entries of a folder inside the served root, in the
 * viewer's `FileEntry` shape (apps/viewer/src/app-context.ts), folders first.
 */
import { access, readdir, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import {
  checkDecodedPath,
  isInside,
  type Refusal,
  resolveChecked,
  segmentProblem,
} from "./safe-path.js";

/**
 * What a served file is. The same union as the viewer's `FileKind` (apps/viewer/src/app-context.ts;
 * the viewer package exports no types, so test/view-server.test.ts checks that the two agree).
 */
export type FileKind = "session" | "run" | "experiment" | "model" | "csv" | "dir" | "file";

/** One entry of a served folder: the viewer's `FileEntry`. */
export interface FileEntry {
  name: string;
  /** Relative to the served root, `/`-separated, no leading slash. */
  path: string;
  kind: FileKind;
  /** Bytes (0 for folders). */
  size: number;
}

/** The answer of `/api/files`. */
export interface Listing {
  /** The listed folder, relative to the root ("" is the root). */
  dir: string;
  entries: FileEntry[];
}

const FOLDER_KINDS: ReadonlySet<FileKind> = new Set(["dir", "run", "experiment"]);

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** What a file is, by its name. */
export function fileKind(name: string): FileKind {
  const lower = name.toLowerCase();
  if (lower.endsWith(".hdf5")) return "session";
  if (lower.endsWith(".safetensors")) return "model";
  if (lower.endsWith(".csv")) return "csv";
  return "file";
}

/** What a folder is: an experiment (`sweep.json`), a run (`metrics.jsonl`) or a plain folder. */
export async function folderKind(real: string): Promise<FileKind> {
  if (await exists(join(real, "sweep.json"))) return "experiment";
  if (await exists(join(real, "metrics.jsonl"))) return "run";
  return "dir";
}

/** Folders first, then by name (numbers in names compare as numbers: run-2 before run-10). */
export function compareEntries(a: FileEntry, b: FileEntry): number {
  const folderA = FOLDER_KINDS.has(a.kind);
  const folderB = FOLDER_KINDS.has(b.kind);
  if (folderA !== folderB) return folderA ? -1 : 1;
  return a.name.localeCompare(b.name, "en", { numeric: true }) || (a.name < b.name ? -1 : 1);
}

/**
 * Lists `dir` (already decoded, relative to the root) under `rootReal` (the root's realpath).
 * Entries the server would not serve are left out: symlinks that leave the root, broken ones,
 * and names the path rules refuse (holding `\`, or starting with a drive letter).
 */
export async function listFolder(rootReal: string, dir: string): Promise<Listing | Refusal> {
  const checked = checkDecodedPath(dir);
  if (!checked.ok) return checked;
  const folder = await resolveChecked(rootReal, checked);
  if (!folder.ok) return folder;
  if (!folder.isDirectory) return { ok: false, status: 404, reason: "not a folder" };
  const names = await readdir(folder.real).catch(() => null);
  if (names === null) return { ok: false, status: 404, reason: "not readable" };
  const entries = await Promise.all(
    names.map(async (name): Promise<FileEntry | null> => {
      if (segmentProblem(name) !== null) return null;
      let real: string;
      try {
        real = await realpath(join(folder.real, name));
      } catch {
        return null;
      }
      if (!isInside(rootReal, real)) return null;
      const stats = await stat(real).catch(() => null);
      if (stats === null) return null;
      const path = checked.relative === "" ? name : `${checked.relative}/${name}`;
      if (stats.isDirectory()) return { name, path, kind: await folderKind(real), size: 0 };
      if (stats.isFile()) return { name, path, kind: fileKind(name), size: stats.size };
      return null;
    }),
  );
  return {
    dir: checked.relative,
    entries: entries.filter((entry): entry is FileEntry => entry !== null).sort(compareEntries),
  };
}
