import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, tinyOverrides as tiny } from "./cli-helpers.js";

describe("emgkit simulate, train, eval, decode, lm build", () => {
  it("runs end to end on a tiny simulated dataset", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emgkit-e2e-"));
    const data = join(dir, "data");
    const simulated = await run(
      "simulate",
      "--out",
      data,
      "--users",
      "2",
      "--sessions",
      "3",
      "--minutes",
      "0.5",
      "--json",
    );
    expect(simulated.code).toBe(0);
    expect(JSON.parse(simulated.stdout)).toMatchObject({ sessions: 6, minutes: 3 });

    const runDir = join(dir, "run");
    const split = join(data, "splits", "user0.yaml");
    const trained = await run(
      "train",
      `dataset_root=${data}`,
      `user=${split}`,
      ...tiny,
      "trainer.max_epochs=2",
      "trainer.limit_train_batches=2",
      "--run-dir",
      runDir,
      "--json",
    );
    expect(trained.stderr).toBe("");
    expect(trained.code).toBe(0);
    const result = JSON.parse(trained.stdout);
    expect(result).toMatchObject({ epochs: 2, stoppedBy: "max-epochs" });
    expect(result.evaluations).toHaveLength(1);
    expect(result.evaluations[0]).toMatchObject({
      kind: "eval",
      phase: "test",
      decoder: "greedy",
      sessions: 1,
    });
    for (const file of [
      "config.yaml",
      "metrics.jsonl",
      "report.md",
      "checkpoints/best.safetensors",
      "checkpoints/last.ckpt.safetensors",
      "predictions/test-greedy.jsonl",
      "figures/loss.svg",
    ]) {
      expect(existsSync(join(runDir, file)), file).toBe(true);
    }
    expect(readFileSync(join(runDir, "report.md"), "utf8")).toContain("## Final evaluation");

    const beam = await run(
      "eval",
      runDir,
      "--split",
      "val",
      "--decoder",
      "ctc_beam",
      "decoder.beam_size=4",
      "--json",
    );
    expect(beam.code).toBe(0);
    const beamRecord = JSON.parse(beam.stdout);
    expect(beamRecord).toMatchObject({ kind: "eval", phase: "val", decoder: "beam" });
    // Validation is scored on windows, as emg2qwerty does; test on whole sessions.
    expect(beamRecord.sessions).toBeGreaterThan(1);

    const session = (readFileSync(split, "utf8").match(/session: (\S+)/g) ?? [])
      .at(-1)
      ?.slice("session: ".length);
    const decoded = await run("decode", runDir, join(data, `${session}.hdf5`), "--json");
    expect(decoded.code).toBe(0);
    const text = JSON.parse(decoded.stdout);
    expect(text.decoder).toBe("greedy");
    expect(text.groundTruth.length).toBeGreaterThan(10);
    expect(text.keys).toHaveLength([...text.text].length);

    const corpus = join(dir, "corpus.txt");
    writeFileSync(corpus, "the quick brown fox jumps over the lazy dog. the dog sleeps.\n");
    const lm = await run(
      "lm",
      "build",
      corpus,
      "--order",
      "3",
      "--out",
      join(dir, "lm.arpa"),
      "--discount-fallback",
      "--json",
    );
    expect(lm.code).toBe(0);
    expect(JSON.parse(lm.stdout)).toMatchObject({ order: 3, words: 12 });
    expect(readFileSync(join(dir, "lm.arpa"), "utf8")).toMatch(
      /^\\data\\\nngram 1=\d+\nngram 2=\d+\nngram 3=\d+/,
    );

    // Resuming a finished run continues from its last checkpoint and has nothing left to do.
    const resumed = await run("train", "--resume", runDir, "--no-test", "--json");
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ epochs: 2 });
  });
});
