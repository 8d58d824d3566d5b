import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { formatDatasetIndex } from "../src/dataset-index.js";
import { indexDataset } from "../src/node/dataset-index.js";
import { fixturePath } from "./golden.js";

const fixtures = fixturePath("");
const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "emg-io-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", cli, ...args], { encoding: "utf8" });
}

describe("indexDataset", () => {
  it("summarizes the fixture folder by user and lists unreadable files", async () => {
    const progress: number[] = [];
    const index = await indexDataset(fixtures, (done) => progress.push(done));
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(index.sessions.map((s) => s.sessionName).sort()).toEqual([
      "bad-time-backwards",
      "emgkit-writer-fixture",
      "h5py-chunked",
      "h5py-contiguous",
      "h5py-gzip-reordered",
    ]);
    const user = index.users.find((u) => u.user === "89335547");
    expect(user?.sessions).toBe(4);
    expect(user?.keystrokes).toBe(4 * 17);
    expect(index.users[0]?.user).toBe("89335547"); // most sessions first
    expect(index.totals.sessions).toBe(5);
    expect(index.totals.users).toBe(index.users.length);
    expect(index.totals.durationHours).toBeCloseTo(
      index.sessions.reduce((sum, s) => sum + s.durationMins, 0) / 60,
      12,
    );
    expect(index.errors).toHaveLength(3);
    expect(index.errors.join("\n")).toMatch(/bad-fields\.hdf5: timeseries fields are/);
    const text = formatDatasetIndex(index);
    expect(text).toContain("Num sessions = 5");
    expect(text).toContain("Unreadable files (3):");
  });

  it("names a missing folder", async () => {
    await expect(indexDataset(join(scratch, "nope"))).rejects.toThrow(/nope: no such folder$/);
  });
});

describe("emg-io CLI", () => {
  it("prints help with examples", () => {
    const result = run("--help");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("emg-io index <folder>");
    expect(result.stdout).toContain("Examples:");
  });

  it("runs the demo: write, read back, exact round trip", () => {
    const result = run("demo", "--out", scratch, "--json");
    expect(result.status).toBe(0);
    const info = JSON.parse(result.stdout);
    expect(info.roundTripExact).toBe(true);
    expect(info.keystrokes).toBeGreaterThan(80);
    expect(info.groundTruthStart.startsWith("⇧The quick brown fox")).toBe(true);
  });

  it("prints session info as JSON", () => {
    const result = run("info", fixturePath("h5py-chunked.hdf5"), "--json");
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      sessionName: "h5py-chunked",
      samples: 1200,
      keystrokes: 17,
    });
  });

  it("fails with one line and a non-zero exit on bad input", () => {
    const missing = run("info", join(scratch, "missing.hdf5"));
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^emg-io: .*missing\.hdf5: no such file$/);
    const usage = run("frobnicate");
    expect(usage.status).toBe(2);
    expect(usage.stderr.trim()).toBe("emg-io: unknown command frobnicate (see emg-io --help)");
    const noFile = run("info");
    expect(noFile.status).toBe(2);
    expect(noFile.stderr.trim()).toBe("emg-io: info needs a file (see emg-io --help)");
  });
});
