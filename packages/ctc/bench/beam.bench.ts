/**
 * CTCBeamDecoder speed at beam 50, 10 labels per frame: without an LM, with
 * NGramLM on the Reuters character 3-gram, and on the 6-gram under lm/ when it
 * is there; next to emg2qwerty's Python decoder on the same emissions when
 * /usr/bin/python3 and an emg2qwerty checkout (EMG2QWERTY, default /tmp/e2q)
 * are available. Prints frames/s and the time a 20-minute session
 * (150 000 frames) would take.
 *
 *     node --import tsx bench/beam.bench.ts [frames]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { charset } from "@emgkit/emg-io";
import { CTCBeamDecoder } from "../src/decode/index.js";
import type { LanguageModel } from "../src/lm/language-model.js";
import { NGramLM } from "../src/lm/ngram-lm.js";
import { randomGenerator } from "../test/random.js";

const SESSION_FRAMES = 150_000;
const BEAM_SIZE = 50;
const LABELS_PER_FRAME = 10;
const PYTHON = "/usr/bin/python3";
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const emg2qwertyDir = process.env.EMG2QWERTY ?? "/tmp/e2q";

/**
 * (T, C) float32 log-probabilities like a trained model's: about one frame in
 * six carries a key (peaked, a rival or two close behind), the rest are blank
 * with some leakage to keys.
 */
function modelLikeEmissions(frames: number, seed: number): Float32Array {
  const random = randomGenerator(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const C = charset.numClasses;
  const keys = charset.size;
  const emissions = new Float32Array(frames * C);
  const logits = new Float64Array(C);
  for (let t = 0; t < frames; t++) {
    for (let c = 0; c < C; c++) logits[c] = gaussian();
    const boost = (label: number, amount: number) => {
      logits[label] = (logits[label] as number) + amount;
    };
    const anyKey = () => Math.floor(random() * keys);
    if (random() < 0.17) {
      boost(anyKey(), 7 + gaussian());
      boost(anyKey(), 4 + gaussian());
      boost(charset.nullClass, 3 + gaussian());
    } else {
      boost(charset.nullClass, 8 + gaussian());
      boost(anyKey(), 4 + gaussian());
    }
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < C; c++) max = Math.max(max, logits[c] as number);
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Math.exp((logits[c] as number) - max);
    const logSum = max + Math.log(sum);
    for (let c = 0; c < C; c++) emissions[t * C + c] = (logits[c] as number) - logSum;
  }
  return emissions;
}

interface Run {
  seconds: number;
  text: string;
}

function timeOurs(emissions: Float32Array, lm: LanguageModel | null): Run {
  const frames = emissions.length / charset.numClasses;
  const timestamps = Float64Array.from({ length: frames }, (_, t) => t);
  const decoder = new CTCBeamDecoder({
    beamSize: BEAM_SIZE,
    maxLabelsPerTimestep: LABELS_PER_FRAME,
    lm,
  });
  const start = performance.now();
  const text = decoder.decode(emissions, timestamps, true).text;
  return { seconds: (performance.now() - start) / 1000, text };
}

const PYTHON_TIMING = `
import json, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import numpy as np
from emg2qwerty.decoder import CTCBeamDecoder
emissions = np.fromfile(sys.argv[3], dtype="<f4").reshape(-1, 99).astype(np.float64)
lm_path = sys.argv[4] or None
decoder = CTCBeamDecoder(beam_size=${BEAM_SIZE}, max_labels_per_timestep=${LABELS_PER_FRAME}, lm_path=lm_path)
start = time.perf_counter()
text = decoder.decode(emissions, np.arange(len(emissions)), finish=True).text
print(json.dumps({"seconds": time.perf_counter() - start, "text": text}))
`;

function timePython(emissions: Float32Array, arpaPath: string, directory: string): Run | null {
  if (!existsSync(PYTHON) || !existsSync(join(emg2qwertyDir, "emg2qwerty", "decoder.py"))) {
    return null;
  }
  const file = join(directory, "emissions.f32");
  writeFileSync(file, new Uint8Array(emissions.buffer, emissions.byteOffset, emissions.byteLength));
  const child = spawnSync(
    PYTHON,
    [
      "-c",
      PYTHON_TIMING,
      join(packageDir, "scripts", "kenlm_compat"),
      emg2qwertyDir,
      file,
      arpaPath,
    ],
    { encoding: "utf8", maxBuffer: 1 << 24 },
  );
  if (child.status !== 0) {
    console.error(`python timing failed: ${child.stderr.trim().split("\n").pop()}`);
    return null;
  }
  return JSON.parse(child.stdout.trim().split("\n").pop() ?? "null");
}

function main(): void {
  const frames = Number(process.argv[2] ?? 30_000);
  const pythonFrames = Math.min(frames, 1_500);
  const emissions = modelLikeEmissions(frames, 20);
  const pythonEmissions = emissions.subarray(0, pythonFrames * charset.numClasses);
  const directory = mkdtempSync(join(tmpdir(), "ctc-beam-bench-"));

  const reutersPath = join(packageDir, "test", "fixtures", "reuters-3-gram-char-lm.arpa");
  const sixGramPath = join(packageDir, "lm", "brown-6gram-charlm.arpa.gz");
  const models: { name: string; lm: LanguageModel | null; arpaPath: string }[] = [
    { name: "no LM", lm: null, arpaPath: "" },
    {
      name: "Reuters 3-gram",
      lm: NGramLM.fromArpa(readFileSync(reutersPath)),
      arpaPath: reutersPath,
    },
  ];
  if (existsSync(sixGramPath)) {
    const arpa = gunzipSync(readFileSync(sixGramPath));
    const plainPath = join(directory, "6gram.arpa");
    writeFileSync(plainPath, arpa);
    models.push({ name: "Brown 6-gram", lm: NGramLM.fromArpa(arpa), arpaPath: plainPath });
  }

  timeOurs(emissions.subarray(0, 2_000 * charset.numClasses), models[1]?.lm ?? null); // warm up
  const rows: string[][] = [];
  try {
    for (const { name, lm, arpaPath } of models) {
      const ours = timeOurs(emissions, lm);
      const python = timePython(pythonEmissions, arpaPath, directory);
      const oursRate = frames / ours.seconds;
      const pythonRate = python === null ? null : pythonFrames / python.seconds;
      const sameText =
        python === null ? "-" : timeOurs(pythonEmissions, lm).text === python.text ? "yes" : "NO";
      rows.push([
        name,
        oursRate.toFixed(0),
        `${(SESSION_FRAMES / oursRate).toFixed(1)} s`,
        pythonRate === null ? "-" : pythonRate.toFixed(0),
        pythonRate === null ? "-" : `${(SESSION_FRAMES / pythonRate / 60).toFixed(1)} min`,
        pythonRate === null ? "-" : `${(oursRate / pythonRate).toFixed(0)}x`,
        sameText,
      ]);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  const header = [
    "LM",
    "ours frames/s",
    "ours 150k",
    "python frames/s",
    "python 150k",
    "speed-up",
    "same text",
  ];
  console.log(
    `CTCBeamDecoder, beam ${BEAM_SIZE}, ${LABELS_PER_FRAME} labels/frame; ours on ${frames} frames, python on ${pythonFrames}`,
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  for (const row of [header, ...rows]) {
    console.log(row.map((cell, i) => cell.padStart(widths[i] ?? 0)).join("  "));
  }
}

main();
