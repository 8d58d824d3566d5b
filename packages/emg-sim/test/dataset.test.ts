import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSplit } from "@emgkit/emg-io";
import { checkSplitFiles, openSession, writeSession } from "@emgkit/emg-io/node";
import { afterAll, describe, expect, it } from "vitest";
import { simulate, simulateSession } from "../src/index";

const root = mkdtempSync(join(tmpdir(), "emg-sim-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("simulate (dataset)", () => {
  it("writes sessions and split YAMLs that emg-io parses, every listed file present", async () => {
    const progress: number[] = [];
    const outDir = join(root, "a");
    const dataset = await simulate({
      outDir,
      users: 3,
      sessionsPerUser: 3,
      minutesPerSession: 0.05,
      seed: 4,
      onProgress: ({ done }) => progress.push(done),
    });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(dataset.sessions).toHaveLength(9);
    expect(dataset.splitFiles.map((p) => p.split("/").at(-1))).toEqual([
      "user0.yaml",
      "user1.yaml",
      "user2.yaml",
      "generic.yaml",
    ]);
    for (const path of dataset.splitFiles) {
      const text = readFileSync(path, "utf8");
      expect(text.startsWith("# @package _global_\n")).toBe(true);
      const split = parseSplit(text, path);
      checkSplitFiles(split, outDir);
      for (const part of [split.train, split.val, split.test]) {
        for (const entry of part)
          expect(existsSync(join(outDir, `${entry.session}.hdf5`))).toBe(true);
      }
    }
    const user0 = parseSplit(readFileSync(dataset.splitFiles[0] as string, "utf8"));
    expect([user0.train.length, user0.val.length, user0.test.length]).toEqual([1, 1, 1]);
    expect(new Set([...user0.train, ...user0.val, ...user0.test].map((e) => e.user)).size).toBe(1);

    const generic = parseSplit(readFileSync(dataset.splitFiles[3] as string, "utf8"));
    const trainUsers = new Set(generic.train.map((e) => e.user));
    const heldOut = new Set([...generic.val, ...generic.test].map((e) => e.user));
    expect(generic.train).toHaveLength(6);
    expect(heldOut.size).toBe(1);
    for (const user of heldOut) expect(trainUsers.has(user)).toBe(false);

    const again = await simulate({
      outDir: join(root, "b"),
      users: 3,
      sessionsPerUser: 3,
      minutesPerSession: 0.05,
      seed: 4,
    });
    for (const [i, session] of dataset.sessions.entries()) {
      const copy = again.sessions[i];
      expect(copy?.session).toBe(session.session);
      expect(readFileSync(copy?.path ?? "").equals(readFileSync(session.path))).toBe(true);
    }
  });

  it("writes a session that openSession reads back equal to the one in memory", async () => {
    const session = simulateSession({ seed: 8, durationMinutes: 0.25 });
    const path = join(root, `${session.metadata.sessionName}.hdf5`);
    await writeSession(path, session);
    const read = await openSession(path);
    try {
      expect(read.metadata.sessionName).toBe(session.metadata.sessionName);
      expect(read.metadata.user).toBe(session.metadata.user);
      expect(read.metadata.condition).toBe("on_keyboard");
      expect(read.metadata.durationMins).toBeCloseTo(session.metadata.durationMins, 12);
      expect(read.keystrokes).toEqual(session.keystrokes);
      expect(read.prompts).toEqual(session.prompts);
      expect(read.length).toBe(session.time.length);
      const window = read.read(0, read.length);
      expect(
        Buffer.from(window.emg.buffer, window.emg.byteOffset, window.emg.byteLength).equals(
          Buffer.from(session.emg.buffer),
        ),
      ).toBe(true);
      expect(Array.from(window.time)).toEqual(Array.from(session.time));
    } finally {
      read.close();
    }
  });

  it("rejects datasets without room for train/val/test or held-out users", async () => {
    await expect(simulate({ outDir: join(root, "c"), users: 1 })).rejects.toThrow(/users/);
    await expect(
      simulate({ outDir: join(root, "c"), users: 2, sessionsPerUser: 2 }),
    ).rejects.toThrow(/sessionsPerUser/);
  });
});
