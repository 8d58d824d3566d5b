import { describe, expect, it } from "vitest";
import type { FileEntry, FileSource } from "../src/app-context.js";
import { findServedModels } from "../src/predict/model-store.js";

function folder(tree: Record<string, FileEntry[]>): FileSource & { listed: string[] } {
  const listed: string[] = [];
  return {
    listed,
    async list(dir) {
      listed.push(dir);
      const entries = tree[dir];
      if (entries === undefined) throw new Error(`no ${dir}`);
      return entries;
    },
    async read() {
      return new ArrayBuffer(0);
    },
    url: (path) => `files/${path}`,
  };
}

const entry = (path: string, kind: FileEntry["kind"]): FileEntry => ({
  name: path.split("/").pop() as string,
  path,
  kind,
  size: 0,
});

describe("findServedModels", () => {
  it("finds runs (their best checkpoint and config.yaml), weights files and LMs, three levels deep", async () => {
    const files = folder({
      "": [
        entry("data", "dir"),
        entry("runs", "dir"),
        entry("exp", "experiment"),
        entry("tiny.safetensors", "model"),
        entry("lm.arpa", "file"),
      ],
      data: [entry("data/a.hdf5", "session")],
      runs: [entry("runs/r1", "run")],
      exp: [entry("exp/runs", "dir")],
      "exp/runs": [entry("exp/runs/lstm", "run"), entry("exp/runs/deeper", "dir")],
      "exp/runs/deeper": [
        entry("exp/runs/deeper/too-deep", "dir"),
        entry("exp/runs/deeper/x.arpa.gz", "file"),
      ],
    });
    const { models, lms } = await findServedModels(files);
    expect(models).toEqual([
      { label: "tiny.safetensors", weightsPath: "tiny.safetensors", configPath: null },
      {
        label: "runs/r1 (run)",
        weightsPath: "runs/r1/checkpoints/best.safetensors",
        configPath: "runs/r1/config.yaml",
      },
      {
        label: "exp/runs/lstm (run)",
        weightsPath: "exp/runs/lstm/checkpoints/best.safetensors",
        configPath: "exp/runs/lstm/config.yaml",
      },
    ]);
    expect(lms).toEqual([
      { label: "lm.arpa", path: "lm.arpa" },
      { label: "exp/runs/deeper/x.arpa.gz", path: "exp/runs/deeper/x.arpa.gz" },
    ]);
    // Runs are not listed inside; the fourth level is not listed at all.
    expect(files.listed).not.toContain("runs/r1");
    expect(files.listed).not.toContain("exp/runs/deeper/too-deep");
  });
});
