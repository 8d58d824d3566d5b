/**
 * Content types by file extension. Data files (`/files/...`) get only types that a browser
 * never runs (no HTML, no JavaScript); the viewer's own assets get the web app's types too.
 */
import { extname } from "node:path";

const UTF8 = "; charset=utf-8";

/** Types for files of the served folder. */
export const DATA_TYPES: Readonly<Record<string, string>> = {
  ".json": `application/json${UTF8}`,
  ".jsonl": `application/jsonl${UTF8}`,
  ".yaml": `application/yaml${UTF8}`,
  ".yml": `application/yaml${UTF8}`,
  ".md": `text/markdown${UTF8}`,
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".hdf5": "application/x-hdf5",
  ".safetensors": "application/octet-stream",
  ".csv": `text/csv${UTF8}`,
  ".arpa": `text/plain${UTF8}`,
  ".txt": `text/plain${UTF8}`,
  ".log": `text/plain${UTF8}`,
  ".gz": "application/gzip",
};

/** Types for the viewer's static files. */
export const ASSET_TYPES: Readonly<Record<string, string>> = {
  ...DATA_TYPES,
  ".html": `text/html${UTF8}`,
  ".js": `text/javascript${UTF8}`,
  ".mjs": `text/javascript${UTF8}`,
  ".css": `text/css${UTF8}`,
  ".wasm": "application/wasm",
  ".map": `application/json${UTF8}`,
  ".ico": "image/x-icon",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".webmanifest": `application/manifest+json${UTF8}`,
};

/** The type of `name` in `table`; anything else is `application/octet-stream`. */
export function contentType(name: string, table: Readonly<Record<string, string>>): string {
  return table[extname(name).toLowerCase()] ?? "application/octet-stream";
}
