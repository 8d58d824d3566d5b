import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Parsed JSON from test/golden (made by scripts/make_augment_golden.py). */
export function readAugmentGolden<T>(name: string): T {
  return JSON.parse(
    readFileSync(fileURLToPath(new URL(`./golden/${name}`, import.meta.url)), "utf8"),
  ) as T;
}

/** A `(T, 2, 16)` window whose value encodes its position: t * 100 + band * 16 + channel. */
export function positionalWindow(frames: number, electrodes = 16): Float32Array {
  const emg = new Float32Array(frames * 2 * electrodes);
  for (let i = 0; i < emg.length; i++) {
    const t = Math.floor(i / (2 * electrodes));
    emg[i] = t * 100 + (i % (2 * electrodes));
  }
  return emg;
}
