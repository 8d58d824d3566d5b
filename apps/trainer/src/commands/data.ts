import { Command, InvalidArgumentError } from "commander";
import { EMG2QWERTY_URL, type FetchDatasetResult, fetchDataset } from "../fetch/dataset.js";
import { type Progress, progressBar } from "../progress.js";

function gigabytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected an integer >= 0");
  return n;
}

function summary(result: FetchDatasetResult): string {
  const lines: string[] = [];
  const where = result.entries.map((entry) => `${result.out}/${entry}`).join(", ");
  if (result.status === "already-done") {
    lines.push(`already fetched: ${where} (from ${result.url})`);
  } else {
    const resumed = result.resumedFrom > 0 ? `, resumed at ${gigabytes(result.resumedFrom)}` : "";
    lines.push(`downloaded ${result.url} (${gigabytes(result.bytes)}${resumed})`);
    lines.push(`unpacked into ${where}`);
    if (result.archiveKept) lines.push(`kept ${result.archive}`);
  }
  lines.push(
    result.sha256Verified
      ? `sha256 ${result.sha256} (verified)`
      : `sha256 ${result.sha256} (not verified: no expected sum; pass --sha256 to check)`,
  );
  return `${lines.join("\n")}\n`;
}

interface FetchFlags {
  url: string;
  out: string;
  sha256?: string;
  keepArchive?: boolean;
  json?: boolean;
  retries: number;
}

/** `emgkit data fetch`: download, verify and unpack the emg2qwerty dataset. */
function fetchCommand(): Command {
  return new Command("fetch")
    .description(
      "Download the emg2qwerty dataset archive, verify its sha256 and unpack it; interrupted runs resume.",
    )
    .option("--url <url>", "archive to download", EMG2QWERTY_URL)
    .option("--out <dir>", "folder for the archive and the unpacked data", "./data")
    .option("--sha256 <hex>", "expected sha256 of the archive (computed and reported either way)")
    .option("--keep-archive", "keep the .tar.gz after unpacking")
    .option("--retries <n>", "retries after a dropped connection", nonNegativeInteger, 5)
    .option("--json", "print the result as one JSON object")
    .addHelpText(
      "after",
      `
Examples:
  $ emgkit data fetch                          # emg2qwerty into ./data (about 308 GB)
  $ emgkit data fetch --out /big/disk/emg      # somewhere with room
  $ emgkit data fetch --sha256 <hex> --keep-archive
  $ emgkit data fetch --url http://mirror.local/emg2qwerty-data-2021-08.tar.gz --json

Files in --out: <name>.part while downloading (run again to resume), <name>
and <name>.sha256 once complete, the unpacked folder (emg2qwerty-data-2021-08/)
and <name>.done.json when finished; a later run that finds it does nothing.
A sha256 mismatch deletes the downloaded file. emg2qwerty publishes no
checksum, so without --sha256 the sum is only reported.`,
    )
    .action(async (flags: FetchFlags) => {
      const bars = new Map<string, Progress>();
      const startAt = new Map<string, number>();
      const labels = { download: "download", hash: "sha256", unpack: "unpack" } as const;
      const finishBars = () => {
        for (const bar of bars.values()) bar.done();
        bars.clear();
        startAt.clear();
      };
      let lastStep: string | undefined;
      try {
        const result = await fetchDataset({
          url: flags.url,
          out: flags.out,
          sha256: flags.sha256,
          keepArchive: flags.keepArchive === true,
          retries: flags.retries,
          log: (line) => {
            if (flags.json) return;
            finishBars();
            process.stderr.write(`${line}\n`);
          },
          onProgress: (step, done, total) => {
            if (total === undefined) return;
            if (step !== lastStep) finishBars();
            lastStep = step;
            let bar = bars.get(step);
            if (bar === undefined) {
              bar = progressBar(`${labels[step]} (MB)`, !flags.json);
              bars.set(step, bar);
              // A resumed download starts part way: time the bar (ETA) on this run's bytes.
              startAt.set(step, done);
            }
            const start = startAt.get(step) ?? 0;
            bar.update(
              Math.floor((done - start) / 1e6),
              Math.max(1, Math.ceil((total - start) / 1e6)),
              `${gigabytes(done)} of ${gigabytes(total)}`,
            );
          },
        });
        finishBars();
        process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : summary(result));
      } finally {
        finishBars();
      }
    });
}

/** `emgkit data`: dataset commands (`fetch`). */
export function dataCommand(): Command {
  return new Command("data")
    .description("Get datasets: `data fetch` downloads and unpacks emg2qwerty.")
    .addCommand(fetchCommand())
    .addHelpText(
      "after",
      `
Examples:
  $ emgkit data fetch --out ./data
  $ emgkit data fetch --help`,
    );
}
