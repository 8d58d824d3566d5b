/**
 * Benchmark: log-spectrogram of a 10 000 x 32 window (emg2qwerty's window:
 * nFft 64, hop 16 -> 622 x 32 x 33), ours vs torchaudio in the same run
 * (Debian's /usr/bin/python3 with python3-torchaudio; skipped when absent).
 *
 *   pnpm --filter @emgkit/emg-transforms bench
 *
 * Target (issue 3): faster than torchaudio.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { logSpectrogramWith, StftPlan } from "../src/spectrogram.js";
import { StreamingSpectrogram } from "../src/streaming-spectrogram.js";
import { deterministicSignal } from "../test/deterministic-signal.js";

const FRAMES = 10_000;
const CHANNELS = 32;
const OPTIONS = { nFft: 64, hopLength: 16 };
const RUNS = 30;
const PYTHON = "/usr/bin/python3";

function medianMs(run: () => void): number {
  for (let i = 0; i < 5; i++) run();
  const times = Array.from({ length: RUNS }, () => {
    const start = performance.now();
    run();
    return performance.now() - start;
  }).sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)] as number;
}

const signal = deterministicSignal(FRAMES, CHANNELS, 1);
const plan = new StftPlan(OPTIONS);
const rows: Array<[string, number]> = [
  ["emgkit logSpectrogram", medianMs(() => logSpectrogramWith(plan, signal))],
  [
    "emgkit StreamingSpectrogram (chunks of 400)",
    medianMs(() => {
      const stream = new StreamingSpectrogram(CHANNELS, OPTIONS);
      for (let t = 0; t < FRAMES; t += 400)
        stream.push(signal.data.subarray(t * CHANNELS, (t + 400) * CHANNELS));
    }),
  ],
];
if (existsSync(PYTHON)) {
  const script = `
import statistics, time, torch, torchaudio
spec = torchaudio.transforms.Spectrogram(n_fft=64, hop_length=16, normalized=True, center=False)
x = torch.randn(${FRAMES}, 2, 16)
f = lambda: torch.log10(spec(x.movedim(0, -1)) + 1e-6).movedim(-1, 0).contiguous()
for threads in (1, 2):
    torch.set_num_threads(threads)
    for _ in range(5): f()
    times = []
    for _ in range(${RUNS}):
        t = time.perf_counter(); f(); times.append((time.perf_counter() - t) * 1000)
    print(threads, statistics.median(times))
`;
  const result = spawnSync(PYTHON, ["-c", script], { encoding: "utf8" });
  if (result.status === 0) {
    for (const line of result.stdout.trim().split("\n")) {
      const [threads, ms] = line.split(" ");
      rows.push([
        `torchaudio ${torchVersion()} (${threads} thread${threads === "1" ? "" : "s"})`,
        Number(ms),
      ]);
    }
  } else console.log(`torchaudio skipped: ${result.stderr.trim().split("\n").at(-1)}`);
}

function torchVersion(): string {
  const result = spawnSync(PYTHON, ["-c", "import torchaudio; print(torchaudio.__version__)"], {
    encoding: "utf8",
  });
  return result.stdout.trim();
}

console.log(
  `log-spectrogram of a ${FRAMES} x ${CHANNELS} window, nFft 64, hop 16 (median of ${RUNS})`,
);
console.log("| implementation | ms |");
console.log("|---|---|");
for (const [name, ms] of rows) console.log(`| ${name} | ${ms.toFixed(2)} |`);
