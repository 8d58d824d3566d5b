/**
 * The HTTP server behind `emgkit view`: one folder, read-only, plus the viewer's static files.
 *
 * Routes (GET and HEAD only; anything else is 405 with `Allow: GET, HEAD`):
 * - `/files/<path>`: a file of the served folder, streamed (single `Range` requests work);
 * - `/api/files?dir=<relative>`: a folder's entries as JSON (listing.ts);
 * - anything else: the viewer's static files from `assetsDir` (`/` is index.html).
 * Every path goes through safe-path.ts. Data files are never served as HTML or JavaScript and
 * carry a sandboxing Content-Security-Policy, so an SVG or Markdown file opened directly cannot
 * run scripts. On a loopback address, requests naming another `Host` are refused (hosts.ts).
 */
import { constants } from "node:fs";
import { type FileHandle, open, realpath, stat } from "node:fs/promises";
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { pipeline } from "node:stream/promises";
import { ASSET_TYPES, contentType, DATA_TYPES } from "./content-types.js";
import { hostHeaderName, isLoopbackHost, urlHost } from "./hosts.js";
import { listFolder } from "./listing.js";
import { type ResolvedPath, resolveRequestPath } from "./safe-path.js";

export interface ViewServerOptions {
  /** The folder to serve (read-only). */
  root: string;
  /** The built viewer (a folder with index.html). */
  assetsDir: string;
  /** Default 127.0.0.1 (this machine only). */
  host?: string;
  /** Default 8765; 0 picks a free port. */
  port?: number;
}

export interface ViewServer {
  /** `http://<host>:<port>/` */
  url: string;
  host: string;
  port: number;
  /** The served folder's realpath. */
  root: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

const FILES_PREFIX = "/files/";
const LIST_ROUTE = "/api/files";

/** Headers on every answer. */
const COMMON_HEADERS: OutgoingHttpHeaders = {
  "Cache-Control": "no-cache",
  "X-Content-Type-Options": "nosniff",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Referrer-Policy": "no-referrer",
};

/** Extra headers on the served folder's files: never a document that runs anything. */
const DATA_HEADERS: OutgoingHttpHeaders = {
  "Content-Security-Policy":
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox",
};

const STATUS_TEXT: Record<number, string> = {
  400: "bad request",
  403: "forbidden",
  404: "not found",
  405: "method not allowed",
  416: "range not satisfiable",
  500: "internal error",
};

function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  json: boolean,
  headers: OutgoingHttpHeaders = {},
): void {
  const text = STATUS_TEXT[status] ?? "error";
  const body = json ? `${JSON.stringify({ error: text })}\n` : `${status} ${text}\n`;
  res.writeHead(status, {
    ...COMMON_HEADERS,
    ...headers,
    "Content-Type": json ? "application/json; charset=utf-8" : "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

function sendJson(req: IncomingMessage, res: ServerResponse, value: unknown): void {
  const body = `${JSON.stringify(value)}\n`;
  res.writeHead(200, {
    ...COMMON_HEADERS,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

/** A single `bytes=` range of a file of `size` bytes: inclusive bounds, null = whole file, "bad" = 416. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | "bad" {
  if (header === undefined) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null) return null; // several ranges or another unit: send the whole file
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return null;
  let start: number;
  let end: number;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0) return "bad";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
    if (last !== "" && Number(last) < start) return null;
  }
  if (start >= size) return "bad";
  return { start, end };
}

async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: ResolvedPath,
  types: Readonly<Record<string, string>>,
  headers: OutgoingHttpHeaders,
): Promise<void> {
  if (!file.isFile) return sendError(req, res, 404, false);
  let handle: FileHandle;
  try {
    handle = await open(file.real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch {
    return sendError(req, res, 404, false);
  }
  let streaming = false;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return sendError(req, res, 404, false);
    const etag = `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
    const base: OutgoingHttpHeaders = {
      ...COMMON_HEADERS,
      ...headers,
      "Content-Type": contentType(file.real, types),
      "Accept-Ranges": "bytes",
      ETag: etag,
      "Last-Modified": stats.mtime.toUTCString(),
    };
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, base);
      res.end();
      return;
    }
    const ifRange = req.headers["if-range"];
    const range =
      ifRange === undefined || ifRange === etag ? parseRange(req.headers.range, stats.size) : null;
    if (range === "bad") {
      return sendError(req, res, 416, false, { "Content-Range": `bytes */${stats.size}` });
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? stats.size - 1;
    res.writeHead(range === null ? 200 : 206, {
      ...base,
      "Content-Length": Math.max(0, end - start + 1),
      ...(range === null ? {} : { "Content-Range": `bytes ${start}-${end}/${stats.size}` }),
    });
    if (req.method === "HEAD" || end < start) {
      res.end();
      return;
    }
    streaming = true;
    await pipeline(handle.createReadStream({ start, end }), res).catch(() => res.destroy());
  } finally {
    if (!streaming) await handle.close();
  }
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  rootReal: string,
  assetsReal: string,
  loopbackOnly: boolean,
): Promise<void> {
  const url = req.url ?? "";
  const query = url.indexOf("?");
  const pathname = query < 0 ? url : url.slice(0, query);
  const isApi = pathname.startsWith("/api/");
  if (req.method !== "GET" && req.method !== "HEAD") {
    return sendError(req, res, 405, isApi, { Allow: "GET, HEAD" });
  }
  if (!pathname.startsWith("/")) return sendError(req, res, 400, false);
  const hostHeader = req.headers.host;
  if (loopbackOnly && hostHeader !== undefined && !isLoopbackHost(hostHeaderName(hostHeader))) {
    return sendError(req, res, 403, isApi);
  }
  if (pathname === LIST_ROUTE) {
    const params = new URLSearchParams(query < 0 ? "" : url.slice(query + 1));
    const listing = await listFolder(rootReal, params.get("dir") ?? "");
    if ("ok" in listing) return sendError(req, res, listing.status, true);
    return sendJson(req, res, listing);
  }
  if (isApi) return sendError(req, res, 404, true);
  if (pathname === "/files" || pathname.startsWith(FILES_PREFIX)) {
    const file = await resolveRequestPath(rootReal, pathname.slice(FILES_PREFIX.length));
    if (!file.ok) return sendError(req, res, file.status, false);
    return sendFile(req, res, file, DATA_TYPES, DATA_HEADERS);
  }
  const asset = pathname === "/" ? "index.html" : pathname.slice(1);
  const file = await resolveRequestPath(assetsReal, asset);
  if (!file.ok) return sendError(req, res, file.status, false);
  return sendFile(req, res, file, ASSET_TYPES, {});
}

/** Starts serving `root` read-only with the viewer from `assetsDir`; resolves once listening. */
export async function startViewServer(options: ViewServerOptions): Promise<ViewServer> {
  const host = options.host ?? "127.0.0.1";
  const rootReal = await realpath(options.root);
  if (!(await stat(rootReal)).isDirectory()) throw new Error(`${options.root} is not a folder`);
  const assetsReal = await realpath(options.assetsDir);
  const loopbackOnly = isLoopbackHost(host);
  const server = createServer((req, res) => {
    handle(req, res, rootReal, assetsReal, loopbackOnly).catch(() => {
      if (res.headersSent) res.destroy();
      else sendError(req, res, 500, false);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8765, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${urlHost(host)}:${port}/`,
    host,
    port,
    root: rootReal,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
