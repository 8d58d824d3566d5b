import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "./cli-helpers.js";

const tmp = () => mkdtempSync(join(tmpdir(), "emgkit-cli-"));

describe("emgkit help", () => {
  it("lists every command with examples", async () => {
    const { code, stdout } = await run("--help");
    expect(code).toBe(0);
    for (const command of ["simulate", "train", "eval", "decode", "lm", "data", "demo"]) {
      expect(stdout).toContain(command);
    }
    expect(stdout).toContain("Examples:");
  });

  it.each(["simulate", "train", "eval", "decode", "demo"])(
    "%s --help has examples",
    async (command) => {
      const { code, stdout } = await run(command, "--help");
      expect(code).toBe(0);
      expect(stdout).toContain("Examples:");
      expect(stdout).toContain(`emgkit ${command}`);
    },
  );
});

describe("emgkit errors", () => {
  it("exits 2 on an unknown option or command", async () => {
    expect((await run("train", "--bogus")).code).toBe(2);
    expect((await run("fly")).code).toBe(2);
  });

  it("exits 2 naming an unknown config key, model or value", async () => {
    const key = await run("train", "optimizer.lrr=1");
    expect(key.code).toBe(2);
    expect(key.stderr).toMatch(
      /^emgkit: unknown config key "optimizer.lrr" \(known at this level: lr, betas/,
    );
    const model = await run("train", "model=perceptron");
    expect(model.code).toBe(2);
    expect(model.stderr).toBe(
      'emgkit: unknown model "perceptron"; known: cnn, cnn-bilstm, gru, lstm, tcn, tds, transformer\n',
    );
    const override = await run("train", "seed");
    expect(override.stderr).toContain('override "seed" is not key=value');
  });

  it("lists every missing session file of a split in one line", async () => {
    const dir = tmp();
    const split = join(dir, "split.yaml");
    writeFileSync(
      split,
      "user: x\ndataset:\n  train:\n    - { user: x, session: a }\n    - { user: x, session: b }\n  val: []\n  test:\n    - { user: x, session: c }\n",
    );
    const { code, stderr } = await run("train", `dataset_root=${dir}`, `user=${split}`);
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    for (const name of ["a.hdf5", "b.hdf5", "c.hdf5"]) expect(stderr).toContain(name);
  });

  it("names a file that is not an HDF5 session", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "a.hdf5"), "not hdf5");
    const split = join(dir, "split.yaml");
    writeFileSync(
      split,
      "user: x\ndataset:\n  train:\n    - { user: x, session: a }\n  val: []\n  test: []\n",
    );
    const { code, stderr } = await run(
      "train",
      `dataset_root=${dir}`,
      `user=${split}`,
      `--run-dir`,
      join(dir, "run"),
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/^emgkit: .*a\.hdf5.*\n$/);
  });

  it("refuses a corrupt checkpoint and a folder that is not a run", async () => {
    const dir = tmp();
    expect((await run("eval", dir)).stderr).toContain("is not a run directory (no config.yaml)");
    const runDir = join(dir, "run");
    mkdirSync(join(runDir, "checkpoints"), { recursive: true });
    writeFileSync(
      join(runDir, "config.yaml"),
      (await import("yaml")).stringify({
        backend: "cpu",
        user: "x",
        dataset_root: dir,
        decoder: { kind: "greedy" },
      }),
    );
    writeFileSync(join(runDir, "checkpoints", "best.safetensors"), "garbage!garbage!");
    const { code, stderr } = await run("eval", runDir);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^emgkit: .*best\.safetensors: .*\n$/);
  });

  it("checks simulate's numbers", async () => {
    const { code, stderr } = await run("simulate", "--users", "1");
    expect(code).toBe(2);
    expect(stderr).toContain("--users must be a whole number >= 2");
  });
});
