/**
 * `emg-io`: look at emg2qwerty session files from the command line.
 * Every error is one line on stderr with a non-zero exit.
 */
import { mkdirSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { makeDemoSession } from "./cli/demo-session.js";
import { progressBar } from "./cli/progress.js";
import { formatDatasetIndex } from "./dataset-index.js";
import { EmgIoError } from "./errors.js";
import { indexDataset } from "./node/dataset-index.js";
import { openSession } from "./node/open-session.js";
import { writeSession } from "./node/write-session.js";
import type { Session } from "./session.js";
import { SAMPLE_RATE_HZ } from "./session-types.js";

const HELP = `emg-io: read and write emg2qwerty sEMG typing sessions (HDF5)

Usage:
  emg-io info <session.hdf5> [--json]   metadata, size and ground truth of one session
  emg-io index <folder> [--json]        users, sessions, hours and keystrokes of a dataset folder
  emg-io demo [--out <folder>]          write a small session, read it back, print its summary

Options:
  --json        machine-readable output
  --out <dir>   where demo writes its session (default: a new temporary folder)
  -h, --help    this help

Examples:
  emg-io info ~/data/emg2qwerty/2021-06-03-1622765527-keystrokes-dca-study@1-0efbe614-9ae6-4131-9192-4398359b4f5f.hdf5
  emg-io index ~/data/emg2qwerty --json > index.json
  emg-io demo --out /tmp/emgkit-demo
`;

type Options = { json: boolean; out: string | undefined };

function sessionInfo(session: Session) {
  const { metadata, keystrokes, prompts, length } = session;
  const truth = session.groundTruth();
  return {
    file: session.source,
    ...metadata,
    samples: length,
    seconds: length / SAMPLE_RATE_HZ,
    keystrokes: keystrokes.length,
    prompts: prompts.length,
    groundTruthChars: truth.length,
    groundTruthStart: truth.toString().slice(0, 80),
  };
}

function printInfo(info: ReturnType<typeof sessionInfo>, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(info, null, 2));
    return;
  }
  for (const [key, value] of Object.entries(info))
    console.log(`${key.padEnd(18)} ${JSON.stringify(value)}`);
}

async function info(file: string, { json }: Options): Promise<void> {
  const session = await openSession(file);
  try {
    printInfo(sessionInfo(session), json);
  } finally {
    session.close();
  }
}

async function index(folder: string, { json }: Options): Promise<void> {
  const result = await indexDataset(folder, progressBar("reading sessions"));
  console.log(json ? JSON.stringify(result, null, 2) : formatDatasetIndex(result));
}

async function demo({ json, out }: Options): Promise<void> {
  const folder = out ?? mkdtempSync(join(tmpdir(), "emgkit-demo-"));
  mkdirSync(folder, { recursive: true });
  const path = join(folder, "emgkit-demo.hdf5");
  const data = makeDemoSession([
    "The quick brown fox jumps over the lazy dog.",
    "Typing from surface EMG, decoded in TypeScript.",
  ]);
  const writeStart = performance.now();
  await writeSession(path, data);
  const writeMs = performance.now() - writeStart;
  const session = await openSession(path);
  try {
    const window = session.read(0, Math.min(session.length, 10_000));
    const infoRecord = {
      ...sessionInfo(session),
      bytes: statSync(path).size,
      writeMs: Math.round(writeMs),
      firstWindowSamples: window.time.length,
      roundTripExact:
        window.emg.every((v, i) => v === data.emg[i]) &&
        window.time.every((v, i) => v === data.time[i]),
    };
    if (!json) console.log(`Wrote ${path} and read it back:\n${session.toString()}\n`);
    printInfo(infoRecord, json);
    if (!infoRecord.roundTripExact)
      throw new EmgIoError(path, "read-back differs from what was written");
  } finally {
    session.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, target, ...extra] = positionals;
  const options: Options = { json: values.json ?? false, out: values.out };
  if (values.help || command === undefined || command === "help") {
    console.log(HELP);
    return;
  }
  const needsTarget = command === "info" || command === "index";
  if (needsTarget && target === undefined)
    throw new UsageError(`${command} needs a ${command === "info" ? "file" : "folder"}`);
  if (extra.length > 0 || (!needsTarget && target !== undefined))
    throw new UsageError(`unexpected argument ${extra[0] ?? target}`);
  if (command === "info") return info(target as string, options);
  if (command === "index") return index(target as string, options);
  if (command === "demo") return demo(options);
  throw new UsageError(`unknown command ${command}`);
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`emg-io: ${error.message} (see emg-io --help)`);
    process.exitCode = 2;
  } else {
    console.error(`emg-io: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
});
