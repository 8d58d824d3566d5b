import { readFileSync } from "node:fs";

/** What an emg2qwerty decoder call returned (LabelData). */
export interface GoldenLabelData {
  labels: number[];
  text: string;
  timestamps: number[];
}

/** One entry of emg2qwerty's beam; null stands for -inf. */
export interface GoldenHypothesis {
  labels: number[];
  timestamps: number[];
  pBlank: number | null;
  pNonBlank: number | null;
  pTotal: number | null;
}

export interface GoldenEmissions {
  frames: number;
  /** (T, 99) float32, little-endian, base64. */
  data: string;
  timestamps: number[];
}

/** emg2qwerty's CTCBeamDecoder options (snake_case), `lm` = the Reuters 3-gram. */
export interface GoldenBeamOptions {
  beam_size?: number;
  max_labels_per_timestep?: number;
  lm_weight?: number;
  insertion_bonus?: number;
  delete_key?: string | null;
  lm: boolean;
}

export interface GoldenBeamCase {
  name: string;
  /** A key of `emissions`, or the emissions themselves. */
  emissions: string | GoldenEmissions;
  chunks: number[];
  options: GoldenBeamOptions;
  /** Result of each `decode(chunk)` call. */
  steps: GoldenLabelData[];
  /** Best beam entries after the last chunk. */
  best: GoldenHypothesis[];
  finished: GoldenLabelData;
  bestFinished: GoldenHypothesis[];
}

export interface GoldenLmScoreCase {
  name: string;
  sentence: string;
  labels: number[];
  lmWeight: number;
  insertionBonus: number;
  wordsScore: number;
  expectedLogProb: number;
  decodedText: string;
  logProb: number;
}

export interface BeamGolden {
  lmFile: string;
  emissions: Record<string, GoldenEmissions>;
  cases: GoldenBeamCase[];
  lmScore: GoldenLmScoreCase[];
  batch: {
    lengths: number[];
    options: GoldenBeamOptions;
    beam: GoldenLabelData[];
    greedy: GoldenLabelData[];
  };
}

export interface GreedyGolden {
  strings: ({ input: string } & GoldenLabelData)[];
  random: { emissions: string; chunks: number[]; steps: GoldenLabelData[] }[];
}

export interface ArgsortGolden {
  numpy: string;
  rows: { values: (number | null)[]; argsort: number[] }[];
}

function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./golden/${name}`, import.meta.url), "utf8")) as T;
}

export const beamGolden = load<BeamGolden>("decode-beam.json");
export const greedyGolden = load<GreedyGolden>("decode-greedy.json");
export const argsortGolden = load<ArgsortGolden>("decode-argsort.json");

/** (T, 99) emissions of a golden set. */
export function goldenEmissions(set: GoldenEmissions): Float32Array {
  const bytes = Buffer.from(set.data, "base64");
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

/** The golden's null for a prefix no path reaches. */
export const orNegativeInfinity = (x: number | null): number => x ?? Number.NEGATIVE_INFINITY;

export const lmArpaText = readFileSync(
  new URL("./fixtures/reuters-3-gram-char-lm.arpa", import.meta.url),
  "utf8",
);
