import { readFileSync } from "node:fs";
import type { EditOpCounts, ErrorRates } from "../src/index.js";

/** One pair from scripts/make_golden.py, with python-Levenshtein's answer. */
export interface GoldenPair {
  id: number;
  category: string;
  prediction: string;
  target: string;
  counts: EditOpCounts;
  /** `Levenshtein.editops(prediction, target)` as [type, sourcePos, destPos]; null if long. */
  ops: [string, number, number][] | null;
}

/** emg2qwerty CharacterErrorRates.compute() over the pairs `pairIds`. */
export interface GoldenAggregate {
  name: string;
  pairIds: number[];
  rates: ErrorRates;
}

/** The committed golden vectors (test/golden/editops.json). */
export const golden: { pairs: GoldenPair[]; aggregates: GoldenAggregate[] } = JSON.parse(
  readFileSync(new URL("./golden/editops.json", import.meta.url), "utf8"),
);
