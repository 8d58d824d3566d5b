import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Command } from "commander";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { dataCommand } from "../src/commands/data.js";
import { CliError } from "../src/errors.js";
import { archiveName, EMG2QWERTY_URL, fetchDataset } from "../src/fetch/dataset.js";
import { downloadResumable, parseContentRange } from "../src/fetch/download.js";
import {
  ARCHIVE_NAME,
  type FakeDataset,
  makeFakeDataset,
  startServer,
  type TestServer,
  TOP,
} from "./data-fetch-server.js";

let fake: FakeDataset;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  fake = await makeFakeDataset();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

async function server(behaviour: Parameters<typeof startServer>[1] = {}): Promise<TestServer> {
  const s = await startServer(fake.archive, behaviour);
  cleanups.push(() => s.close());
  return s;
}

async function outDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "emgkit-fetch-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Fast retries for tests. */
const quick = { retryDelayMs: 0, timeoutMs: 5000 };

async function expectUnpacked(out: string): Promise<void> {
  for (const [name, body] of Object.entries(fake.files)) {
    expect((await readFile(join(out, TOP, name))).equals(body)).toBe(true);
  }
  // Nothing half-written is left: no .part, no temporary unpack folder, no lock.
  const left = await readdir(out);
  expect(
    left.filter((n) => n.endsWith(".part") || n.includes(".unpack-") || n.endsWith(".lock")),
  ).toEqual([]);
}

async function rejection(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  const cli = error as CliError;
  expect(cli.message).not.toContain("\n");
  return cli;
}

describe("fetchDataset", () => {
  it("downloads, verifies the sha256, unpacks and deletes the archive", async () => {
    const s = await server();
    const out = await outDir();
    const result = await fetchDataset({ url: s.url, out, sha256: fake.sha256, ...quick });
    expect(result).toMatchObject({
      status: "fetched",
      sha256: fake.sha256,
      sha256Verified: true,
      bytes: fake.archive.length,
      downloaded: fake.archive.length,
      resumedFrom: 0,
      requests: 1,
      entries: [TOP],
      archiveKept: false,
    });
    await expectUnpacked(out);
    expect(await readdir(out)).toEqual([TOP, `${ARCHIVE_NAME}.done.json`].sort());
    const marker = JSON.parse(await readFile(result.marker, "utf8"));
    expect(marker).toMatchObject({ url: s.url, sha256: fake.sha256, entries: [TOP] });
    expect(s.requests[0]?.range).toBeUndefined();
  });

  it("computes and reports the sha256 when none is expected, and keeps the archive if asked", async () => {
    const s = await server();
    const out = await outDir();
    const result = await fetchDataset({ url: s.url, out, keepArchive: true, ...quick });
    expect(result.sha256).toBe(fake.sha256);
    expect(result.sha256Verified).toBe(false);
    expect(result.archiveKept).toBe(true);
    expect((await readFile(join(out, ARCHIVE_NAME))).equals(fake.archive)).toBe(true);
    expect(await readFile(join(out, `${ARCHIVE_NAME}.sha256`), "utf8")).toBe(
      `${fake.sha256}  ${ARCHIVE_NAME}\n`,
    );
    await expectUnpacked(out);
  });

  it("resumes with a Range request when the server drops the connection mid-way", async () => {
    const s = await server({ dropAfter: 150_000 });
    const out = await outDir();
    const notes: string[] = [];
    const result = await fetchDataset({
      url: s.url,
      out,
      sha256: fake.sha256,
      log: (l) => notes.push(l),
      ...quick,
    });
    expect(s.requests).toHaveLength(2);
    expect(s.requests[0]?.range).toBeUndefined();
    const range = /^bytes=(\d+)-$/.exec(s.requests[1]?.range ?? "");
    expect(range).not.toBeNull();
    const from = Number(range?.[1]);
    expect(from).toBeGreaterThan(0);
    expect(from).toBeLessThanOrEqual(150_000);
    expect(s.requests[1]?.["if-range"]).toBe('"v1"');
    expect(result).toMatchObject({ status: "fetched", sha256Verified: true, requests: 2 });
    expect(notes.some((n) => n.includes("retrying"))).toBe(true);
    await expectUnpacked(out);
  });

  it("gives up on a stalled connection after the idle timeout and resumes", async () => {
    const s = await server({ dropAfter: 120_000, stall: true });
    const out = await outDir();
    const result = await fetchDataset({
      url: s.url,
      out,
      sha256: fake.sha256,
      retryDelayMs: 0,
      timeoutMs: 200,
    });
    expect(s.requests[1]?.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(result.sha256Verified).toBe(true);
    await expectUnpacked(out);
  });

  it("leaves the .part file when retries run out, and the next run resumes from it", async () => {
    const s = await server({ dropAfter: 100_000 });
    const out = await outDir();
    const error = await rejection(
      fetchDataset({ url: s.url, out, sha256: fake.sha256, retries: 0, ...quick }),
    );
    expect(error.message).toContain(s.url);
    expect(error.message).toMatch(/run the same command again to resume/);
    const part = join(out, `${ARCHIVE_NAME}.part`);
    const partSize = (await stat(part)).size;
    expect(partSize).toBeGreaterThan(0);
    expect(partSize).toBeLessThan(fake.archive.length);

    const result = await fetchDataset({ url: s.url, out, sha256: fake.sha256, ...quick });
    expect(s.requests[1]?.range).toBe(`bytes=${partSize}-`);
    expect(result).toMatchObject({
      status: "fetched",
      resumedFrom: partSize,
      downloaded: fake.archive.length - partSize,
      sha256: fake.sha256,
    });
    await expectUnpacked(out);
  });

  it("starts over when the server ignores Range and answers 200", async () => {
    const s = await server({ dropAfter: 100_000 });
    const out = await outDir();
    await rejection(fetchDataset({ url: s.url, out, retries: 0, ...quick }));
    s.behaviour = { ignoreRange: true };
    const notes: string[] = [];
    const result = await fetchDataset({
      url: s.url,
      out,
      sha256: fake.sha256,
      log: (l) => notes.push(l),
      ...quick,
    });
    expect(s.requests[1]?.range).toMatch(/^bytes=\d+-$/);
    expect(result.sha256).toBe(fake.sha256);
    expect(notes.some((n) => n.includes("ignored the Range request"))).toBe(true);
    await expectUnpacked(out);
  });

  it("starts over when the file changed on the server (If-Range does not match)", async () => {
    const s = await server({ dropAfter: 100_000 });
    const out = await outDir();
    await rejection(fetchDataset({ url: s.url, out, retries: 0, ...quick }));
    s.behaviour = { etag: '"v2"' };
    const result = await fetchDataset({ url: s.url, out, sha256: fake.sha256, ...quick });
    expect(s.requests[1]?.["if-range"]).toBe('"v1"');
    expect(result.resumedFrom).toBeGreaterThan(0);
    expect(result.downloaded).toBe(fake.archive.length);
    expect(result.sha256).toBe(fake.sha256);
  });

  it("fails on a checksum mismatch and deletes the downloaded file", async () => {
    const s = await server();
    const out = await outDir();
    const wrong = "0".repeat(64);
    const error = await rejection(fetchDataset({ url: s.url, out, sha256: wrong, ...quick }));
    expect(error.message).toContain(s.url);
    expect(error.message).toContain(`expected sha256 ${wrong}, got ${fake.sha256}`);
    expect(error.exitCode).toBe(1);
    expect(await readdir(out)).toEqual([]);
  });

  it("rejects a --sha256 that is not 64 hex digits as bad usage", async () => {
    const error = await rejection(fetchDataset({ url: "http://127.0.0.1:1/x", sha256: "abc" }));
    expect(error.exitCode).toBe(2);
  });

  it.each([404, 500])("fails with one line naming the URL on HTTP %i", async (status) => {
    const s = await server({ status });
    const out = await outDir();
    const error = await rejection(fetchDataset({ url: s.url, out, ...quick }));
    expect(error.message).toBe(
      `cannot download ${s.url}: HTTP ${status} ${status === 404 ? "Not Found" : "Internal Server Error"}`,
    );
    expect(await readdir(out)).toEqual([]);
  });

  it("fails on connection refused", async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const url = `http://127.0.0.1:${port}/${ARCHIVE_NAME}`;
    const error = await rejection(fetchDataset({ url, out: await outDir(), ...quick }));
    expect(error.message).toBe(`cannot download ${url}: connection refused`);
  });

  it("follows redirects", async () => {
    const s = await server();
    const out = await outDir();
    const result = await fetchDataset({ url: s.redirectUrl, out, sha256: fake.sha256, ...quick });
    expect(result.entries).toEqual([TOP]);
    await expectUnpacked(out);
  });

  it("fails on a file that is not gzip, and deletes it", async () => {
    const s = await server({ body: Buffer.from("<html>Access denied</html>") });
    const out = await outDir();
    const error = await rejection(fetchDataset({ url: s.url, out, ...quick }));
    expect(error.message).toBe(
      `${join(out, ARCHIVE_NAME)} is not a gzip file (a .tar.gz was expected) (deleted it)`,
    );
    expect(await readdir(out)).toEqual([]);
  });

  it("fails on gzip data that is not a tar archive", async () => {
    const s = await server({ body: gzipSync(randomBytes(4096)) });
    const out = await outDir();
    const error = await rejection(fetchDataset({ url: s.url, out, ...quick }));
    expect(error.message).toMatch(/is not a valid tar archive/);
    expect(await readdir(out)).toEqual([]);
  });

  it("fails on a truncated archive", async () => {
    const s = await server({ body: fake.archive.subarray(0, 250_000) });
    const out = await outDir();
    const error = await rejection(fetchDataset({ url: s.url, out, ...quick }));
    expect(error.message).toMatch(/not a valid tar archive|corrupt gzip/);
    expect(await readdir(out)).toEqual([]);
  });

  it("says so and does nothing on a second run", async () => {
    const s = await server();
    const out = await outDir();
    await fetchDataset({ url: s.url, out, sha256: fake.sha256, ...quick });
    const again = await fetchDataset({ url: s.url, out, ...quick });
    expect(again).toMatchObject({
      status: "already-done",
      sha256: fake.sha256,
      requests: 0,
      entries: [TOP],
    });
    expect(s.requests).toHaveLength(1);
    // A different expected sum for the same archive name is an error, not a silent pass.
    const error = await rejection(fetchDataset({ url: s.url, out, sha256: "1".repeat(64) }));
    expect(error.message).toMatch(/already holds/);
  });

  it("unpacks a complete archive left by an interrupted run without downloading again", async () => {
    const s = await server();
    const out = await outDir();
    await writeFile(join(out, ARCHIVE_NAME), fake.archive);
    const result = await fetchDataset({ url: s.url, out, sha256: fake.sha256, ...quick });
    expect(s.requests).toHaveLength(0);
    expect(result).toMatchObject({ status: "fetched", downloaded: 0, sha256Verified: true });
    await expectUnpacked(out);
  });

  it("refuses to overwrite data that is already in --out", async () => {
    const s = await server();
    const out = await outDir();
    await writeFile(join(out, TOP), "mine");
    const error = await rejection(fetchDataset({ url: s.url, out, keepArchive: true, ...quick }));
    expect(error.message).toMatch(/already exists and is not from this fetch/);
    expect(await readFile(join(out, TOP), "utf8")).toBe("mine");
    // The verified archive stays, so the next run need not download it again.
    expect((await readdir(out)).sort()).toEqual(
      [TOP, ARCHIVE_NAME, `${ARCHIVE_NAME}.sha256`].sort(),
    );
  });

  it("fails when the output folder cannot be created", async () => {
    const parent = await outDir();
    const file = join(parent, "a-file");
    await writeFile(file, "x");
    const error = await rejection(
      fetchDataset({ url: "http://127.0.0.1:1/x.tar.gz", out: join(file, "data") }),
    );
    expect(error.message).toBe(`cannot create output folder ${join(file, "data")}: ENOTDIR`);
  });

  it.skipIf(process.getuid?.() === 0)("fails when the output folder is not writable", async () => {
    const { chmod } = await import("node:fs/promises");
    const out = await outDir();
    await chmod(out, 0o500);
    cleanups.push(() => chmod(out, 0o700));
    const error = await rejection(fetchDataset({ url: "http://127.0.0.1:1/x.tar.gz", out }));
    expect(error.message).toMatch(/is not writable/);
  });

  it("refuses to run beside another live fetch in the same folder", async () => {
    const out = await outDir();
    // This test process is alive, so a lock naming its parent looks held.
    await writeFile(join(out, `${ARCHIVE_NAME}.lock`), `${process.ppid}\n`);
    const s = await server();
    const error = await rejection(fetchDataset({ url: s.url, out, ...quick }));
    expect(error.message).toBe(
      `another emgkit data fetch (pid ${process.ppid}) is working in ${out}`,
    );
  });
});

describe("download helpers", () => {
  it("parses Content-Range", () => {
    expect(parseContentRange("bytes 100-199/200")).toEqual({ start: 100, total: 200 });
    expect(parseContentRange("bytes */200")).toEqual({ start: undefined, total: 200 });
    expect(parseContentRange("bytes 0-9/*")).toEqual({ start: 0, total: undefined });
    expect(parseContentRange(undefined)).toEqual({});
  });

  it("names the archive after the URL's last path segment", () => {
    expect(archiveName(EMG2QWERTY_URL)).toBe(ARCHIVE_NAME);
    expect(archiveName("http://h/a/b.tar.gz?sig=1")).toBe("b.tar.gz");
    expect(archiveName("http://h/")).toBe("dataset.tar.gz");
  });

  it("a .part file already complete is answered 416 and kept", async () => {
    const s = await server();
    const dir = await outDir();
    const part = join(dir, "x.part");
    await writeFile(part, fake.archive);
    const result = await downloadResumable(s.url, { partPath: part, ...quick });
    expect(result).toMatchObject({ bytes: fake.archive.length, sha256: fake.sha256, requests: 1 });
    expect(
      createHash("sha256")
        .update(await readFile(part))
        .digest("hex"),
    ).toBe(fake.sha256);
  });
});

describe("emgkit data fetch (commander)", () => {
  function program(): Command {
    const root = new Command("emgkit").exitOverride();
    root.addCommand(dataCommand());
    for (const command of root.commands) {
      command.exitOverride();
      for (const sub of command.commands) sub.exitOverride();
    }
    return root;
  }

  it("prints one JSON object with --json", async () => {
    const s = await server();
    const out = await outDir();
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    await program().parseAsync(
      ["data", "fetch", "--url", s.url, "--out", out, "--sha256", fake.sha256, "--json"],
      { from: "user" },
    );
    vi.restoreAllMocks();
    const result = JSON.parse(written.join(""));
    expect(result).toMatchObject({ status: "fetched", sha256: fake.sha256, entries: [TOP] });
    await expectUnpacked(out);
  });

  it("prints a short summary, then 'already fetched' on a second run", async () => {
    const s = await server();
    const out = await outDir();
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    await program().parseAsync(["data", "fetch", "--url", s.url, "--out", out], { from: "user" });
    await program().parseAsync(["data", "fetch", "--url", s.url, "--out", out], { from: "user" });
    vi.restoreAllMocks();
    const text = written.join("");
    expect(text).toContain(`unpacked into ${out}/${TOP}`);
    expect(text).toContain(`sha256 ${fake.sha256} (not verified`);
    expect(text).toContain(`already fetched: ${out}/${TOP}`);
  });

  it("rejects with the CliError (one line) for the CLI to print", async () => {
    const s = await server({ status: 404 });
    const out = await outDir();
    await expect(
      program().parseAsync(["data", "fetch", "--url", s.url, "--out", out, "--json"], {
        from: "user",
      }),
    ).rejects.toThrow(new CliError(`cannot download ${s.url}: HTTP 404 Not Found`));
  });

  it("has help with examples and the emg2qwerty URL as default", () => {
    const fetch = dataCommand().commands.find((c) => c.name() === "fetch");
    let help = "";
    fetch?.configureOutput({ writeOut: (s) => (help += s) });
    fetch?.outputHelp();
    expect(help).toContain("Examples:");
    expect(help).toContain(EMG2QWERTY_URL);
    for (const flag of ["--url", "--out", "--sha256", "--keep-archive", "--json"]) {
      expect(help).toContain(flag);
    }
  });
});
