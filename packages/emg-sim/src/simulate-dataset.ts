/**
 * The dataset writer: several simulated users with several sessions each,
 * written as `<outDir>/<session>.hdf5`, plus split YAMLs in
 * `<outDir>/splits/`: `user<i>.yaml` per user and `generic.yaml`.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Split, SplitEntry } from "@emgkit/emg-io";
import { writeSession } from "@emgkit/emg-io/node";
import { Random } from "@emgkit/emg-transforms";
import { simulateSession } from "./simulate-session";
import { splitYaml } from "./split-yaml";
import { PromptSource } from "./text-source";
import { createUser } from "./user-profile";

export interface SimulateDatasetOptions {
  outDir: string;
  /** Number of users (default 4; at least 2 for the generic split). */
  users?: number;
  /** Sessions per user (default 4; at least 3: train, val, test). */
  sessionsPerUser?: number;
  minutesPerSession?: number;
  seed?: number;
  /** Users held out of generic training (default one in eight, at least one). */
  heldOutUsers?: number;
  highPassHz?: number;
  /** Called after each session file is written. */
  onProgress?: (progress: { done: number; total: number; user: string; session: string }) => void;
}

export interface SimulatedDataset {
  root: string;
  /** Every session written, in order. */
  sessions: Array<SplitEntry & { path: string }>;
  /** Paths of the split YAMLs: each user's, then generic.yaml. */
  splitFiles: string[];
}

/** Simulates and writes a dataset (see the module comment). Deterministic from `seed`. */
export async function simulate(options: SimulateDatasetOptions): Promise<SimulatedDataset> {
  const userCount = options.users ?? 4;
  const sessionsPerUser = options.sessionsPerUser ?? 4;
  const heldOut = options.heldOutUsers ?? Math.max(1, Math.round(userCount / 8));
  if (!Number.isInteger(userCount) || userCount < 2)
    throw new RangeError(`users must be an integer >= 2, got ${userCount}`);
  if (!Number.isInteger(sessionsPerUser) || sessionsPerUser < 3) {
    throw new RangeError(
      `sessionsPerUser must be an integer >= 3 (train, val, test), got ${sessionsPerUser}`,
    );
  }
  if (!Number.isInteger(heldOut) || heldOut < 1 || heldOut >= userCount) {
    throw new RangeError(
      `heldOutUsers must be an integer in [1, ${userCount - 1}], got ${heldOut}`,
    );
  }
  const random = new Random(options.seed ?? 0);
  const prompts = new PromptSource();
  const splitDir = join(options.outDir, "splits");
  await mkdir(splitDir, { recursive: true });

  const sessions: SimulatedDataset["sessions"] = [];
  const personal: Split[] = [];
  const sessionsByUser: SplitEntry[][] = [];
  const total = userCount * sessionsPerUser;
  for (let u = 0; u < userCount; u++) {
    const userRandom = random.fork();
    const user = createUser(userRandom.int(0, 2 ** 32));
    // First session on a day of 2021, then one every 1-3 days, in working hours.
    let day = Date.UTC(2021, 0, 1) / 1000 + 86_400 * userRandom.int(0, 300);
    const entries: SplitEntry[] = [];
    for (let s = 0; s < sessionsPerUser; s++) {
      const startTime = day + userRandom.int(9 * 3600, 17 * 3600);
      const session = simulateSession({
        seed: userRandom.int(0, 2 ** 32),
        user,
        startTime,
        durationMinutes: options.minutesPerSession ?? 1,
        highPassHz: options.highPassHz,
        prompts,
      });
      const path = join(options.outDir, `${session.metadata.sessionName}.hdf5`);
      await writeSession(path, session);
      const entry = { user: user.id, session: session.metadata.sessionName };
      entries.push(entry);
      sessions.push({ ...entry, path });
      options.onProgress?.({ done: sessions.length, total, ...entry });
      day += 86_400 * userRandom.int(1, 4);
    }
    sessionsByUser.push(entries);
    // Like emg2qwerty: one session validates, one tests, the rest train.
    const [val, test] = pickTwo(entries.length, userRandom);
    personal.push({
      name: `user${u}`,
      train: entries.filter((_, i) => i !== val && i !== test),
      val: [entries[val] as SplitEntry],
      test: [entries[test] as SplitEntry],
    });
  }

  const held = personal.slice(userCount - heldOut);
  const generic: Split = {
    name: "generic",
    train: sessionsByUser.slice(0, userCount - heldOut).flat(),
    val: held.flatMap((p) => p.val),
    test: held.flatMap((p) => p.test),
  };
  const splitFiles: string[] = [];
  for (const split of [...personal, generic]) {
    const path = join(splitDir, `${split.name}.yaml`);
    await writeFile(path, splitYaml(split));
    splitFiles.push(path);
  }
  return { root: options.outDir, sessions, splitFiles };
}

/** Two distinct indices in [0, count). */
function pickTwo(count: number, random: Random): [number, number] {
  const first = random.int(0, count);
  const second = (first + random.int(1, count)) % count;
  return [first, second];
}
