import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileEntry as ViewerFileEntry } from "../../viewer/src/app-context.js";
import { isLoopbackHost } from "../src/view/hosts.js";
import type { FileEntry, Listing } from "../src/view/listing.js";
import { checkEncodedPath } from "../src/view/safe-path.js";
import { parseRange, startViewServer, type ViewServer } from "../src/view/server.js";
import { run } from "./cli-helpers.js";

// The listing's entries are the viewer's FileEntry and the other way round (checked by tsc).
const toViewer = (entry: FileEntry): ViewerFileEntry => entry;
const fromViewer = (entry: ViewerFileEntry): FileEntry => entry;
void toViewer;
void fromViewer;

const SECRET = "TOP-SECRET-3f9a1c";
const WASM = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

let base: string;
let root: string;
let assets: string;
let server: ViewServer;
/** Every body any request got: none may hold the secret. */
const bodies: string[] = [];

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw request: `path` goes on the request line exactly as given, nothing normalizes it. */
function send(
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        path,
        method: options.method ?? "GET",
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const body = Buffer.concat(chunks).toString("latin1");
          bodies.push(body);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), "emgkit-view-"));
  // Outside the served folder: secrets next to it and in a sibling folder.
  writeFileSync(join(base, "secret.txt"), SECRET);
  writeFileSync(join(base, "package.json"), JSON.stringify({ secret: SECRET }));
  mkdirSync(join(base, "outside"));
  writeFileSync(join(base, "outside", "secret.txt"), SECRET);
  // The served folder.
  root = join(base, "root");
  mkdirSync(join(root, "sub"), { recursive: true });
  writeFileSync(join(root, "sub", "hello.txt"), "hello, world");
  mkdirSync(join(root, "runs", "run-10"), { recursive: true });
  mkdirSync(join(root, "runs", "run-2"), { recursive: true });
  writeFileSync(join(root, "runs", "run-2", "metrics.jsonl"), '{"step":1}\n');
  writeFileSync(join(root, "runs", "run-10", "metrics.jsonl"), '{"step":1}\n');
  mkdirSync(join(root, "exp"));
  writeFileSync(join(root, "exp", "sweep.json"), "{}");
  writeFileSync(join(root, "exp", "report.md"), "# report\n");
  writeFileSync(join(root, "s1.hdf5"), Buffer.alloc(1000));
  writeFileSync(join(root, "model.safetensors"), Buffer.alloc(24));
  writeFileSync(join(root, "finger.csv"), "t,a\n0,1\n");
  writeFileSync(join(root, "page.html"), "<script>alert(1)</script>");
  symlinkSync(join(base, "secret.txt"), join(root, "out-link.txt"));
  symlinkSync(join(base, "outside"), join(root, "out-dir"));
  symlinkSync(join(root, "sub", "hello.txt"), join(root, "in-link.txt"));
  // A fake built viewer, with the secret one folder up.
  assets = join(base, "assets");
  mkdirSync(assets);
  writeFileSync(join(assets, "index.html"), "<!doctype html><title>viewer</title>");
  writeFileSync(join(assets, "app.wasm"), WASM);
  writeFileSync(join(assets, "app.js"), "export {};");
  server = await startViewServer({ root, assetsDir: assets, port: 0 });
});

afterAll(async () => {
  await server?.close();
  rmSync(base, { recursive: true, force: true });
});

describe("emgkit view server: nothing outside the folder", () => {
  it("listens on 127.0.0.1 by default", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it.each([
    ["/files/../package.json", 403],
    ["/files/../secret.txt", 403],
    ["/files/%2e%2e/secret.txt", 403],
    ["/files/%2E%2E/secret.txt", 403],
    ["/files/sub/%2e%2e/%2e%2e/secret.txt", 403],
    ["/files/sub/./hello.txt", 403],
    ["/files/a%2f..%2f..%2fsecret.txt", 403],
    ["/files/..%2fsecret.txt", 403],
    ["/files/%2fetc%2fpasswd", 403],
    ["/files//etc/passwd", 403],
    ["/files/sub//hello.txt", 403],
    ["/files/..%5csecret.txt", 403],
    ["/files/..\\secret.txt", 403],
    ["/files/%00", 403],
    ["/files/sub/hello.txt%00.png", 403],
    ["/files/%E0%A4%A", 403],
    ["/files/%zz", 403],
    ["/files/C:/secret.txt", 403],
    ["/files/c%3a%5csecret.txt", 403],
    ["/files/%252e%252e/secret.txt", 404],
    ["/api/files?dir=..", 403],
    ["/api/files?dir=%2e%2e", 403],
    ["/api/files?dir=sub/../..", 403],
    ["/api/files?dir=/etc", 403],
    ["/api/files?dir=sub%5c..%5c..", 403],
    ["/api/files?dir=out-dir", 404],
    ["/../secret.txt", 403],
    ["/%2e%2e/secret.txt", 403],
    ["/..%2fsecret.txt", 403],
    ["//etc/passwd", 403],
    ["/files/out-link.txt", 404],
    ["/files/out-dir/secret.txt", 404],
    ["/files/missing.txt", 404],
    ["/files/sub", 404],
    ["/missing.js", 404],
    ["/api/other", 404],
  ])("GET %s -> %i", async (path, status) => {
    const answer = await send(path);
    expect(answer.status).toBe(status);
    expect(answer.body).not.toContain(SECRET);
  });

  it("refuses a Host header naming another host on loopback (DNS rebinding)", async () => {
    const answer = await send("/files/sub/hello.txt", { headers: { Host: "evil.example:80" } });
    expect(answer.status).toBe(403);
    const local = await send("/files/sub/hello.txt", { headers: { Host: "localhost:1" } });
    expect(local.status).toBe(200);
  });

  it("serves a symlink to a file inside the folder", async () => {
    const answer = await send("/files/in-link.txt");
    expect(answer.status).toBe(200);
    expect(answer.body).toBe("hello, world");
  });

  it("answers only GET and HEAD (405 with Allow)", async () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
      const answer = await send("/files/sub/hello.txt", { method });
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe("GET, HEAD");
    }
    expect((await send("/api/files", { method: "POST" })).status).toBe(405);
    expect(readFileSync(join(root, "sub", "hello.txt"), "utf8")).toBe("hello, world");
  });

  it("never returned the secret", () => {
    expect(bodies.length).toBeGreaterThan(40);
    for (const body of bodies) expect(body).not.toContain(SECRET);
  });
});

describe("emgkit view server: files", () => {
  it("serves a file read-only with its type and no-cache", async () => {
    const answer = await send("/files/sub/hello.txt");
    expect(answer.status).toBe(200);
    expect(answer.body).toBe("hello, world");
    expect(answer.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(answer.headers["content-length"]).toBe("12");
    expect(answer.headers["cache-control"]).toBe("no-cache");
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    expect(answer.headers["content-security-policy"]).toContain("sandbox");
  });

  it.each([
    ["/files/runs/run-2/metrics.jsonl", "application/jsonl; charset=utf-8"],
    ["/files/exp/sweep.json", "application/json; charset=utf-8"],
    ["/files/exp/report.md", "text/markdown; charset=utf-8"],
    ["/files/s1.hdf5", "application/x-hdf5"],
    ["/files/model.safetensors", "application/octet-stream"],
    ["/files/finger.csv", "text/csv; charset=utf-8"],
    ["/files/page.html", "application/octet-stream"],
  ])("%s is %s", async (path, type) => {
    const answer = await send(path);
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe(type);
  });

  it("decodes a name once", async () => {
    writeFileSync(join(root, "sub", "a b%.txt"), "spaced");
    const answer = await send("/files/sub/a%20b%25.txt");
    expect(answer.status).toBe(200);
    expect(answer.body).toBe("spaced");
  });

  it("answers HEAD with the headers and no body", async () => {
    const answer = await send("/files/s1.hdf5", { method: "HEAD" });
    expect(answer.status).toBe(200);
    expect(answer.headers["content-length"]).toBe("1000");
    expect(answer.headers["content-type"]).toBe("application/x-hdf5");
    expect(answer.body).toBe("");
    expect((await send("/files/missing", { method: "HEAD" })).status).toBe(404);
  });

  it("serves byte ranges and revalidates with ETag", async () => {
    const part = await send("/files/sub/hello.txt", { headers: { Range: "bytes=7-" } });
    expect(part.status).toBe(206);
    expect(part.body).toBe("world");
    expect(part.headers["content-range"]).toBe("bytes 7-11/12");
    const bad = await send("/files/sub/hello.txt", { headers: { Range: "bytes=50-" } });
    expect(bad.status).toBe(416);
    const first = await send("/files/sub/hello.txt");
    const etag = String(first.headers.etag);
    const again = await send("/files/sub/hello.txt", { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBe("");
  });

  it("streams a large file whole", async () => {
    const big = Buffer.alloc(3_000_000, 0x61);
    writeFileSync(join(root, "big.txt"), big);
    const answer = await send("/files/big.txt");
    expect(answer.status).toBe(200);
    expect(answer.body.length).toBe(big.length);
  });
});

describe("emgkit view server: listing", () => {
  it("lists the root, folders first, with kinds and sizes; no way out", async () => {
    const answer = await send("/api/files");
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8");
    const listing = JSON.parse(answer.body) as Listing;
    expect(listing.dir).toBe("");
    const byName = Object.fromEntries(listing.entries.map((e) => [e.name, e]));
    expect(byName.exp).toEqual({ name: "exp", path: "exp", kind: "experiment", size: 0 });
    expect(byName.runs).toEqual({ name: "runs", path: "runs", kind: "dir", size: 0 });
    expect(byName["s1.hdf5"]).toEqual({
      name: "s1.hdf5",
      path: "s1.hdf5",
      kind: "session",
      size: 1000,
    });
    expect(byName["model.safetensors"]?.kind).toBe("model");
    expect(byName["finger.csv"]?.kind).toBe("csv");
    expect(byName["page.html"]?.kind).toBe("file");
    expect(byName["in-link.txt"]).toEqual({
      name: "in-link.txt",
      path: "in-link.txt",
      kind: "file",
      size: 12,
    });
    expect(byName["out-link.txt"]).toBeUndefined();
    expect(byName["out-dir"]).toBeUndefined();
    const kinds = listing.entries.map((e) => e.kind);
    const lastFolder = Math.max(
      ...["dir", "run", "experiment"].map((k) => kinds.lastIndexOf(k as never)),
    );
    const firstFile = kinds.findIndex((k) => !["dir", "run", "experiment"].includes(k));
    expect(lastFolder).toBeLessThan(firstFile);
  });

  it("lists a sub-folder with paths from the root, runs in numeric order", async () => {
    const answer = await send("/api/files?dir=runs");
    const listing = JSON.parse(answer.body) as Listing;
    expect(listing).toEqual({
      dir: "runs",
      entries: [
        { name: "run-2", path: "runs/run-2", kind: "run", size: 0 },
        { name: "run-10", path: "runs/run-10", kind: "run", size: 0 },
      ],
    });
    expect((await send("/api/files?dir=runs%2Frun-2")).status).toBe(200);
    expect((await send("/api/files?dir=s1.hdf5")).status).toBe(404);
    expect((await send("/api/files?dir=nope")).status).toBe(404);
  });
});

describe("emgkit view server: the viewer's files", () => {
  it("serves index.html at / and the app's types", async () => {
    const index = await send("/");
    expect(index.status).toBe(200);
    expect(index.body).toContain("<title>viewer</title>");
    expect(index.headers["content-type"]).toBe("text/html; charset=utf-8");
    const wasm = await send("/app.wasm");
    expect(wasm.status).toBe(200);
    expect(wasm.headers["content-type"]).toBe("application/wasm");
    expect(Buffer.from(wasm.body, "latin1").equals(WASM)).toBe(true);
    expect((await send("/app.js")).headers["content-type"]).toBe("text/javascript; charset=utf-8");
  });
});

describe("view pieces", () => {
  it("checks encoded paths", () => {
    expect(checkEncodedPath("")).toEqual({ ok: true, segments: [], relative: "" });
    expect(checkEncodedPath("runs/my%20run/")).toEqual({
      ok: true,
      segments: ["runs", "my run"],
      relative: "runs/my run",
    });
    expect(checkEncodedPath("/")).toMatchObject({ ok: false, status: 403 });
  });

  it("parses ranges", () => {
    expect(parseRange(undefined, 10)).toBeNull();
    expect(parseRange("bytes=2-4", 10)).toEqual({ start: 2, end: 4 });
    expect(parseRange("bytes=-3", 10)).toEqual({ start: 7, end: 9 });
    expect(parseRange("bytes=5-100", 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange("bytes=0-1,4-5", 10)).toBeNull();
    expect(parseRange("bytes=10-", 10)).toBe("bad");
  });

  it("knows loopback hosts", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "[::1]", "::1", "app.localhost"]) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    for (const host of ["0.0.0.0", "::", "192.168.1.2", "evil.example", "localhost.evil.example"]) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });
});

describe("emgkit view (CLI)", () => {
  it("has --help with examples", async () => {
    const { code, stdout } = await run("view", "--help");
    expect(code).toBe(0);
    expect(stdout).toContain("Examples:");
    expect(stdout).toContain("emgkit view");
    expect(stdout).toContain("--export");
  });

  it("fails in one line on a missing folder or a file", async () => {
    const missing = await run("view", join(base, "nope"), "--assets", assets);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`emgkit: ${join(base, "nope")} does not exist\n`);
    const file = await run("view", join(base, "secret.txt"), "--assets", assets);
    expect(file.code).toBe(1);
    expect(file.stderr).toBe(`emgkit: ${join(base, "secret.txt")} is a file, not a folder\n`);
    expect((await run("view")).code).toBe(2);
    expect((await run("view", root, "--port", "70000")).code).toBe(2);
  });

  it("warns before listening beyond loopback", async () => {
    // 192.0.2.1 (TEST-NET-1) is nobody's address: the warning, then a one-line listen error.
    const answer = await run(
      "view",
      root,
      "--assets",
      assets,
      "--host",
      "192.0.2.1",
      "--port",
      "0",
    );
    expect(answer.stderr).toContain("warning: listening on 192.0.2.1");
    expect(answer.stderr).toContain("readable by anyone on the network");
    expect(answer.code).toBe(1);
  });

  it("serves until SIGINT and closes cleanly", async () => {
    const before = new Set(process.listeners("SIGINT"));
    const pending = run("view", root, "--assets", assets, "--port", "0", "--json");
    let added: NodeJS.SignalsListener[] = [];
    for (let i = 0; i < 200 && added.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      added = process.listeners("SIGINT").filter((listener) => !before.has(listener));
    }
    expect(added).toHaveLength(1);
    for (const listener of added) listener("SIGINT");
    const { code, stdout } = await pending;
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as { url: string; port: number };
    expect(printed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(process.listeners("SIGINT").filter((l) => !before.has(l))).toHaveLength(0);
  });

  it("--export copies the built viewer and exits", async () => {
    const out = join(base, "site");
    const answer = await run("view", "--export", out, "--assets", assets, "--json");
    expect(answer.code).toBe(0);
    expect(JSON.parse(answer.stdout)).toEqual({ out, files: 3, bytes: expect.any(Number) });
    expect(readFileSync(join(out, "index.html"), "utf8")).toContain("<title>viewer</title>");
    expect(readFileSync(join(out, "app.wasm")).equals(WASM)).toBe(true);
    // Again into the same export is fine; into a folder holding other things is not.
    expect((await run("view", "--export", out, "--assets", assets)).code).toBe(0);
    const busy = await run("view", "--export", join(root, "sub"), "--assets", assets);
    expect(busy.code).toBe(1);
    expect(existsSync(join(root, "sub", "index.html"))).toBe(false);
    expect((await run("view", root, "--export", out, "--assets", assets)).code).toBe(2);
  });
});
