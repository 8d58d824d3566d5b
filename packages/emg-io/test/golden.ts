import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Parsed JSON from test/golden (made by scripts/make_golden.py). */
export function readGolden<T>(name: string): T {
  return JSON.parse(readFileSync(goldenPath(name), "utf8")) as T;
}

export function goldenPath(name: string): string {
  return fileURLToPath(new URL(`./golden/${name}`, import.meta.url));
}

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}
