/**
 * Benchmark: 10 000-sample windows at random offsets from a 20-minute session
 * (2.4 M samples, 326 MB), read by emg-io and, in the same run, by h5py
 * (Debian's /usr/bin/python3 with python3-h5py; skipped when absent).
 *
 *   pnpm --filter @emgkit/emg-io bench [-- --windows 500 --minutes 20]
 *
 * Targets (issue 2): at most 2x h5py's time per window, at least 200 windows/s.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_CHUNK_ROWS, type EmgWindow, openSession, writeSession } from "../src/node.js";
import {
  CHANNELS_PER_BAND,
  NUM_BANDS,
  SAMPLE_RATE_HZ,
  type SessionData,
} from "../src/session-types.js";

const { values } = parseArgs({
  options: {
    windows: { type: "string", default: "500" },
    minutes: { type: "string", default: "20" },
    "chunk-rows": { type: "string", default: String(DEFAULT_CHUNK_ROWS) },
  },
});
const WINDOWS = Number(values.windows);
const MINUTES = Number(values.minutes);
const WINDOW = 10_000;
const ROW_BYTES = 8 + NUM_BANDS * CHANNELS_PER_BAND * 4;
const PYTHON = "/usr/bin/python3";
const PASSES = 5;

function syntheticSession(samples: number): SessionData {
  const perRow = NUM_BANDS * CHANNELS_PER_BAND;
  const time = new Float64Array(samples);
  const emg = new Float32Array(samples * perRow);
  for (let i = 0; i < samples; i++) {
    time[i] = 1_622_765_527 + i / SAMPLE_RATE_HZ;
    for (let c = 0; c < perRow; c++) emg[i * perRow + c] = Math.sin(i * 0.01 + c);
  }
  return {
    metadata: {
      sessionName: "bench",
      user: "bench",
      condition: "on_keyboard",
      durationMins: MINUTES,
    },
    keystrokes: [],
    prompts: [],
    time,
    emg,
  };
}

function median(passes: number, run: () => number): number {
  const times = Array.from({ length: passes }, run).sort((a, b) => a - b);
  return times[Math.floor(passes / 2)] as number;
}

/** h5py's ms per window for the same offsets: slicing (new arrays) and read_direct (reused buffer). */
function h5pyTimes(
  path: string,
  starts: number[],
  folder: string,
): { fresh: number; reused: number } | undefined {
  const offsetsPath = join(folder, "offsets.json");
  writeFileSync(offsetsPath, JSON.stringify(starts));
  const script = `
import json, statistics, sys, time, h5py, numpy as np
offs = json.load(open(sys.argv[2]))
def timed(read):
    for o in offs[:50]:
        read(o)
    passes = []
    for _ in range(${PASSES}):
        t = time.perf_counter()
        for o in offs:
            read(o)
        passes.append((time.perf_counter() - t) / len(offs) * 1000)
    return statistics.median(passes)
with h5py.File(sys.argv[1], "r") as f:
    ts = f["emg2qwerty"]["timeseries"]
    buf = np.empty(${WINDOW}, dtype=ts.dtype)
    fresh = timed(lambda o: ts[o:o + ${WINDOW}])
    reused = timed(lambda o: ts.read_direct(buf, np.s_[o:o + ${WINDOW}]))
print(json.dumps({"fresh": fresh, "reused": reused}))
`;
  const result = spawnSync(PYTHON, ["-c", script, path, offsetsPath], { encoding: "utf8" });
  if (result.status === 0) return JSON.parse(result.stdout) as { fresh: number; reused: number };
  console.log(`h5py skipped: ${result.stderr.trim().split("\n").at(-1)}`);
  return undefined;
}

/** Seeded offsets so both readers read the same windows. */
function offsets(count: number, length: number): number[] {
  let state = 12345;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % (length - WINDOW);
  });
}

const folder = mkdtempSync(join(tmpdir(), "emg-io-bench-"));
try {
  const samples = MINUTES * 60 * SAMPLE_RATE_HZ;
  const chunkRows = Number(values["chunk-rows"]);
  const path = join(folder, "session.hdf5");
  const start = performance.now();
  await writeSession(path, syntheticSession(samples), { chunkRows });
  const writeSeconds = (performance.now() - start) / 1000;
  const fileMB = statSync(path).size / 1e6;
  console.log(
    `wrote ${samples} samples (${fileMB.toFixed(0)} MB) in ${writeSeconds.toFixed(2)} s: ${(fileMB / writeSeconds).toFixed(0)} MB/s`,
  );

  const starts = offsets(WINDOWS, samples);
  const session = await openSession(path);
  const reuse: EmgWindow = { time: new Float64Array(WINDOW), emg: new Float32Array(WINDOW * 32) };
  let checksum = 0;
  const timeReads = (read: (offset: number) => EmgWindow) => {
    for (const offset of starts.slice(0, 50)) read(offset); // warm up the wasm modules and the JIT
    return median(PASSES, () => {
      const start = performance.now();
      for (const offset of starts) checksum += read(offset).emg[0] as number;
      return (performance.now() - start) / WINDOWS;
    });
  };
  const rows: Array<[string, number | undefined, number | undefined]> = [
    [
      "emg-io (h5wasm raw rows + wasm de-interleave)",
      timeReads((offset) => session.read(offset, offset + WINDOW)),
      timeReads((offset) => session.readInto(offset, reuse)),
    ],
  ];
  session.close();
  const python = existsSync(PYTHON) ? h5pyTimes(path, starts, folder) : undefined;
  if (python !== undefined) rows.push(["h5py 3.7 (structured rows)", python.fresh, python.reused]);

  const windowMB = (WINDOW * ROW_BYTES) / 1e6;
  console.log(
    `\n${WINDOWS} windows of ${WINDOW} samples (${windowMB.toFixed(2)} MB) at random offsets, ` +
      `${MINUTES}-minute session, ${chunkRows}-row chunks; median of ${PASSES} passes`,
  );
  console.log(
    "| reader | ms / window (new arrays) | windows / s | MB/s | ms / window (reused buffers) |",
  );
  console.log("|---|---|---|---|---|");
  for (const [name, fresh, reused] of rows) {
    const cells =
      fresh === undefined
        ? ["-", "-", "-"]
        : [fresh.toFixed(3), (1000 / fresh).toFixed(0), ((windowMB * 1000) / fresh).toFixed(0)];
    console.log(`| ${name} | ${cells.join(" | ")} | ${reused?.toFixed(3) ?? "-"} |`);
  }
  const [ours, h5py] = [rows[0], rows[1]];
  if (ours && h5py && ours[1] && h5py[1] && ours[2] && h5py[2]) {
    console.log(
      `\nemg-io / h5py time per window: ${(ours[1] / h5py[1]).toFixed(2)}x with new arrays, ${(ours[2] / h5py[2]).toFixed(2)}x with reused buffers (target <= 2x)`,
    );
  }
  console.log(`(checksum ${checksum.toFixed(3)})`);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
