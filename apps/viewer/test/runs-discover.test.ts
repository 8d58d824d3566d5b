import { describe, expect, it } from "vitest";
import type { FileEntry, FileKind, FileSource } from "../src/app-context.js";
import { discoverRuns } from "../src/runs/discover.js";

/** A served folder from a map of folder path -> [name, kind] entries. */
function source(tree: Record<string, [string, FileKind][]>, listed: string[] = []): FileSource {
  return {
    async list(dir) {
      listed.push(dir);
      const entries = tree[dir];
      if (entries === undefined) throw new Error(`${dir}: not a folder`);
      return entries.map(
        ([name, kind]): FileEntry => ({
          name,
          kind,
          path: dir === "" ? name : `${dir}/${name}`,
          size: 0,
        }),
      );
    },
    read: () => Promise.reject(new Error("unused")),
    url: (p) => `/files/${p}`,
  };
}

describe("discoverRuns", () => {
  it("finds runs two levels down and experiments with their runs", async () => {
    const listed: string[] = [];
    const files = source(
      {
        "": [
          ["tiny", "run"],
          ["runs", "dir"],
          ["exp", "experiment"],
          ["a.hdf5", "session"],
          [".cache", "dir"],
        ],
        runs: [
          ["b", "run"],
          ["deeper", "dir"],
          ["checkpoints", "dir"],
        ],
        "runs/deeper": [
          ["c", "run"],
          ["three", "dir"],
        ],
        "exp/runs": [
          ["w-6000", "run"],
          ["w-4000", "run"],
          ["notes.txt", "file"],
        ],
      },
      listed,
    );
    const found = await discoverRuns(files);
    expect(found.runs).toEqual([
      { path: "runs/b", name: "runs/b" },
      { path: "runs/deeper/c", name: "runs/deeper/c" },
      { path: "tiny", name: "tiny" },
    ]);
    expect(found.experiments).toEqual([
      {
        path: "exp",
        name: "exp",
        runs: [
          { path: "exp/runs/w-4000", name: "w-4000", experiment: "exp" },
          { path: "exp/runs/w-6000", name: "w-6000", experiment: "exp" },
        ],
      },
    ]);
    // Neither hidden folders, nor run outputs, nor a third level are listed.
    expect(listed.sort()).toEqual(["", "exp/runs", "runs", "runs/deeper"]);
  });

  it("passes over folders that cannot be listed and stops at maxListings", async () => {
    const files = source({
      "": [
        ["gone", "dir"],
        ["exp", "experiment"],
      ],
    });
    expect(await discoverRuns(files)).toEqual({
      runs: [],
      experiments: [{ path: "exp", name: "exp", runs: [] }],
    });
    expect(await discoverRuns(files, { maxListings: 0 })).toEqual({ runs: [], experiments: [] });
  });
});
