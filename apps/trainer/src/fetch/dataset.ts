import {
  access,
  constants,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import { join, resolve } from "node:path";
import { CliError } from "../errors.js";
import { type ByteProgress, downloadResumable, hashFile, removePart } from "./download.js";
import { BadArchiveError, unpackTarGz } from "./unpack.js";

/** The emg2qwerty archive named in facebookresearch/emg2qwerty's README (Setup). */
export const EMG2QWERTY_URL =
  "https://fb-ctrl-oss.s3.amazonaws.com/emg2qwerty/emg2qwerty-data-2021-08.tar.gz";

/**
 * Published sha256 sums, by URL. emg2qwerty's README publishes none (nor a
 * size), so the default download is checked only when --sha256 is given; the
 * sum is always computed and reported. Add an entry here once one is published.
 */
export const KNOWN_SHA256: Readonly<Record<string, string>> = {};

export interface FetchDatasetOptions {
  /** Archive URL; default EMG2QWERTY_URL. */
  url?: string;
  /** Folder for the archive and the unpacked data; default ./data. */
  out?: string;
  /** Expected sha256 (hex); default KNOWN_SHA256[url]. */
  sha256?: string;
  /** Keep the .tar.gz after unpacking (default: delete it). */
  keepArchive?: boolean;
  retries?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
  /** Progress of each step (download, hash, unpack) in bytes. */
  onProgress?: (
    step: "download" | "hash" | "unpack",
    done: number,
    total: number | undefined,
  ) => void;
  /** One-line notes for the user. */
  log?: (line: string) => void;
}

export interface FetchDatasetResult {
  /** "fetched" when this call did the work, "already-done" when an earlier run had. */
  status: "fetched" | "already-done";
  url: string;
  /** Absolute output folder. */
  out: string;
  /** Absolute archive path (kept only with keepArchive). */
  archive: string;
  archiveKept: boolean;
  sha256: string;
  /** True when sha256 was compared with an expected sum (given or published). */
  sha256Verified: boolean;
  bytes: number;
  /** Bytes of the archive downloaded by this call (0 when it was already complete). */
  downloaded: number;
  /** Bytes found in a .part file from an earlier run. */
  resumedFrom: number;
  /** HTTP requests made by this call. */
  requests: number;
  /** Top-level names the archive unpacked into `out`. */
  entries: string[];
  /** The file recording that `out` holds this archive unpacked. */
  marker: string;
}

/** What `<out>/<archive>.done.json` records. */
interface DoneMarker {
  url: string;
  archive: string;
  sha256: string;
  bytes: number;
  entries: string[];
  fetchedAt: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

function code(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (code(error) === "ENOENT") return false;
    throw error;
  }
}

/** The archive's file name: the URL's last path segment (query dropped). */
export function archiveName(url: string): string {
  let last = "";
  try {
    last = decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "");
  } catch {
    throw new CliError(`not a valid URL: ${url}`, 2);
  }
  return last === "" || last.startsWith(".") || /[/\\\0]/.test(last) ? "dataset.tar.gz" : last;
}

async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, path);
}

async function readMarker(path: string): Promise<DoneMarker | undefined> {
  try {
    const marker = JSON.parse(await readFile(path, "utf8")) as DoneMarker;
    return Array.isArray(marker.entries) && typeof marker.sha256 === "string" ? marker : undefined;
  } catch {
    return undefined;
  }
}

async function prepareOut(out: string): Promise<void> {
  try {
    await mkdir(out, { recursive: true });
  } catch (error) {
    throw new CliError(`cannot create output folder ${out}: ${code(error) ?? String(error)}`);
  }
  try {
    await access(out, constants.W_OK);
  } catch (error) {
    throw new CliError(`output folder ${out} is not writable (${code(error) ?? String(error)})`);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return code(error) === "EPERM";
  }
}

/** Takes `<lock>` for this process; a lock left by a dead process is taken over. */
async function acquireLock(lock: string, out: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lock, "wx");
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(lock, { force: true });
    } catch (error) {
      if (code(error) !== "EEXIST") {
        throw new CliError(
          `output folder ${out} is not writable (${code(error) ?? String(error)})`,
        );
      }
      const pid = Number.parseInt(await readFile(lock, "utf8").catch(() => ""), 10);
      if (Number.isInteger(pid) && pid !== process.pid && pidAlive(pid)) {
        throw new CliError(`another emgkit data fetch (pid ${pid}) is working in ${out}`);
      }
      await rm(lock, { force: true });
    }
  }
  throw new CliError(`cannot lock ${lock}`);
}

/** Deletes unpack folders that an interrupted run left behind. */
async function removeStaleUnpacks(out: string, prefix: string): Promise<void> {
  for (const name of await readdir(out)) {
    if (name.startsWith(prefix)) await rm(join(out, name), { recursive: true, force: true });
  }
}

/**
 * Downloads a dataset archive into `out`, checks its sha256, and unpacks it
 * there; each step is safe to interrupt and run again:
 *
 * 1. the download goes to `<out>/<name>.part` and resumes from it (HTTP Range);
 * 2. once complete and verified, `.part` is renamed to `<out>/<name>` and its
 *    sum written to `<out>/<name>.sha256`; a sum mismatch deletes the `.part`
 *    file (resuming a corrupt file cannot fix it) and fails;
 * 3. the archive is unpacked into a hidden temporary folder in `out`, then its
 *    top-level entries are renamed into `out` and `<out>/<name>.done.json`
 *    written; the archive is then deleted unless keepArchive.
 *
 * A run that finds `<name>.done.json` with its entries present does nothing.
 */
export async function fetchDataset(options: FetchDatasetOptions = {}): Promise<FetchDatasetResult> {
  const url = options.url ?? EMG2QWERTY_URL;
  const out = resolve(options.out ?? "data");
  const expected = (options.sha256 ?? KNOWN_SHA256[url])?.trim().toLowerCase();
  if (expected !== undefined && !SHA256_HEX.test(expected)) {
    throw new CliError(`--sha256 must be 64 hex digits, got "${options.sha256}"`, 2);
  }
  const log = options.log ?? (() => {});
  const progress =
    (step: "download" | "hash" | "unpack"): ByteProgress =>
    (done, total) =>
      options.onProgress?.(step, done, total);

  const name = archiveName(url);
  const archive = join(out, name);
  const partPath = `${archive}.part`;
  const sumPath = `${archive}.sha256`;
  const markerPath = `${archive}.done.json`;
  const base = {
    url,
    out,
    archive,
    marker: markerPath,
  };

  await prepareOut(out);

  const marker = await readMarker(markerPath);
  if (marker !== undefined) {
    const present = await Promise.all(marker.entries.map((entry) => exists(join(out, entry))));
    if (present.every(Boolean)) {
      if (expected !== undefined && marker.sha256 !== expected) {
        throw new CliError(
          `${out} already holds ${name} unpacked with sha256 ${marker.sha256}, not ${expected}; remove ${markerPath} and ${marker.entries.join(", ")} to fetch again`,
        );
      }
      return {
        ...base,
        status: "already-done",
        archiveKept: await exists(archive),
        sha256: marker.sha256,
        sha256Verified: expected !== undefined,
        bytes: marker.bytes,
        downloaded: 0,
        resumedFrom: 0,
        requests: 0,
        entries: marker.entries,
      };
    }
    log(`${markerPath} lists files that are gone; fetching again`);
    await rm(markerPath, { force: true });
  }

  const release = await acquireLock(`${archive}.lock`, out);
  try {
    const unpackPrefix = `.${name}.unpack-`;
    await removeStaleUnpacks(out, unpackPrefix);

    // 1-2. A complete, verified archive, downloading it if needed.
    let sha256: string | undefined;
    let bytes = 0;
    let downloaded = 0;
    let resumedFrom = 0;
    let requests = 0;
    if (await exists(archive)) {
      bytes = (await stat(archive)).size;
      const recorded = (await readFile(sumPath, "utf8").catch(() => "")).split(/\s/)[0];
      if (
        recorded !== undefined &&
        SHA256_HEX.test(recorded) &&
        recorded === (expected ?? recorded)
      ) {
        sha256 = recorded;
      } else {
        log(`checking the sha256 of ${archive}`);
        sha256 = (await hashFile(archive, progress("hash"))).digest("hex");
      }
      if (expected !== undefined && sha256 !== expected) {
        await rm(archive, { force: true });
        await rm(sumPath, { force: true });
        throw new CliError(
          `checksum mismatch for ${archive}: expected sha256 ${expected}, got ${sha256}; deleted it, run again to download it afresh`,
        );
      }
    } else {
      const result = await downloadResumable(url, {
        partPath,
        retries: options.retries,
        retryDelayMs: options.retryDelayMs,
        timeoutMs: options.timeoutMs,
        onProgress: progress("download"),
        onHashProgress: progress("hash"),
        log,
      });
      ({ sha256, bytes, resumedFrom, requests, received: downloaded } = result);
      if (expected !== undefined && sha256 !== expected) {
        await removePart(partPath);
        throw new CliError(
          `checksum mismatch for ${url}: expected sha256 ${expected}, got ${sha256}; deleted ${partPath}`,
        );
      }
      await writeFile(sumPath, `${sha256}  ${name}\n`);
      await rename(partPath, archive);
      await rm(`${partPath}.json`, { force: true });
    }

    // 3. Unpack beside the data, then move into place.
    const tmp = await mkdtemp(join(out, unpackPrefix));
    let entries: string[];
    try {
      entries = await unpackTarGz(archive, tmp, progress("unpack"));
      for (const entry of entries) {
        if (await exists(join(out, entry))) {
          throw new CliError(
            `${join(out, entry)} already exists and is not from this fetch; move it away or choose another --out`,
          );
        }
      }
      for (const entry of entries) await rename(join(tmp, entry), join(out, entry));
    } catch (error) {
      if (error instanceof BadArchiveError) {
        await rm(archive, { force: true });
        await rm(sumPath, { force: true });
        throw new BadArchiveError(`${error.message} (deleted it)`);
      }
      throw error;
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    const record: DoneMarker = {
      url,
      archive: name,
      sha256,
      bytes,
      entries,
      fetchedAt: new Date().toISOString(),
    };
    await writeJsonAtomic(markerPath, record);
    if (!options.keepArchive) {
      await rm(archive, { force: true });
      await rm(sumPath, { force: true });
    }
    return {
      ...base,
      status: "fetched",
      archiveKept: options.keepArchive === true,
      sha256,
      sha256Verified: expected !== undefined,
      bytes,
      downloaded,
      resumedFrom,
      requests,
      entries,
    };
  } finally {
    await release();
  }
}
