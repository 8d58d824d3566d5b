import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkSplitFiles, loadSplit as loadSplitNode } from "../src/node/splits";
import {
  builtinSplit,
  builtinSplitNames,
  loadSplit,
  parseSplit,
  type Split,
  splitSessionPaths,
} from "../src/splits";
import { errorOf } from "./expect-error.js";

/** emg2qwerty's split files, beside the clone (present in CI, maybe not on a laptop). */
const referenceDir = fileURLToPath(new URL("../../../../shared/reference/splits", import.meta.url));
const hasReference = existsSync(referenceDir);

const tiny = `# @package _global_
user: tiny
dataset:
  train:
  - user: 1
    session: s-train-a
  - user: 1
    session: s-train-b
  val:
  - user: 1
    session: s-val
  test: []
`;

describe("built-in splits", () => {
  it("are emg2qwerty's generic, user0..user7 and single_user", () => {
    expect([...builtinSplitNames].sort()).toEqual(
      ["generic", "single_user", ...Array.from({ length: 8 }, (_, i) => `user${i}`)].sort(),
    );
  });

  it("single_user has 16 train, 1 val and 1 test session of user 89335547", () => {
    const split = builtinSplit("single_user");
    expect(split.name).toBe("single_user");
    expect([split.train.length, split.val.length, split.test.length]).toEqual([16, 1, 1]);
    const users = new Set([...split.train, ...split.val, ...split.test].map((e) => e.user));
    expect(users).toEqual(new Set(["89335547"]));
    expect(split.test[0]?.session).toBe(
      "2021-06-02-1622682789-keystrokes-dca-study@1-0efbe614-9ae6-4131-9192-4398359b4f5f",
    );
  });

  it("returns a fresh copy each time", () => {
    builtinSplit("user0").train.length = 0;
    expect(builtinSplit("user0").train.length).toBeGreaterThan(0);
  });

  it("rejects an unknown name, listing the known ones", () => {
    const message = errorOf(() => builtinSplit("user9"));
    expect(message).toMatch(/^user9: unknown split; built-in splits: .*single_user/);
    expect(errorOf(() => builtinSplit("constructor"))).toMatch(/unknown split/);
  });

  describe.skipIf(!hasReference)("equal their YAML files in shared/reference/splits", () => {
    const files = hasReference ? readdirSync(referenceDir).filter((f) => f.endsWith(".yaml")) : [];

    it("one built-in per file", () => {
      expect(files.map((f) => f.replace(/\.yaml$/, "")).sort()).toEqual(
        [...builtinSplitNames].sort(),
      );
    });

    it.each(files)("%s", (file) => {
      const text = readFileSync(join(referenceDir, file), "utf8");
      // Independent of parseSplit: the default YAML schema, numbers turned into strings.
      const raw = parse(text) as {
        user: string;
        dataset: Record<"train" | "val" | "test", { user: number; session: string }[]>;
      };
      const entries = (part: "train" | "val" | "test") =>
        raw.dataset[part].map((e) => ({ user: String(e.user), session: e.session }));
      const expected: Split = {
        name: raw.user,
        train: entries("train"),
        val: entries("val"),
        test: entries("test"),
      };
      expect(builtinSplit(raw.user)).toEqual(expected);
      expect(parseSplit(text, file)).toEqual(expected);
    });
  });
});

describe("parseSplit", () => {
  it("reads names, users as strings and sessions in order", () => {
    const split = parseSplit(tiny);
    expect(split).toEqual({
      name: "tiny",
      train: [
        { user: "1", session: "s-train-a" },
        { user: "1", session: "s-train-b" },
      ],
      val: [{ user: "1", session: "s-val" }],
      test: [],
    });
  });

  it("keeps user ids as written (leading zeros)", () => {
    const split = parseSplit(
      tiny.replace("user: 1\n    session: s-val", "user: 09456349\n    session: s-val"),
    );
    expect(split.val[0]?.user).toBe("09456349");
  });

  it.each([
    ["user: x\ndataset: [\n", /^my\.yaml: unparsable YAML: /],
    ["", /^my\.yaml: expected a mapping with `user` and `dataset`$/],
    ["- just\n- a list\n", /^my\.yaml: line 1: expected a mapping with `user` and `dataset`$/],
    ["dataset:\n  train: []\n  val: []\n  test: []\n", /^my\.yaml: missing top-level `user`/],
    ["user: x\n", /^my\.yaml: missing `dataset` mapping/],
    [
      "user: x\ndataset:\n  train: []\n  val: []\n",
      /^my\.yaml: dataset\.test must be a list of \{user, session\}$/,
    ],
    [
      "user: x\ndataset:\n  train: []\n  val: []\n  test:\n",
      /^my\.yaml: line 5: dataset\.test must be a list/,
    ],
    [
      "user: x\ndataset:\n  train:\n  - user: 1\n    session: a\n  - user: 2\n  val: []\n  test: []\n",
      /^my\.yaml: line 6: dataset\.train\[1\] has no session$/,
    ],
    [
      "user: x\ndataset:\n  train: []\n  val:\n  - session: a\n  test: []\n",
      /^my\.yaml: line 5: dataset\.val\[0\] has no user$/,
    ],
    [
      "user: x\ndataset:\n  train: []\n  val: []\n  test:\n  - a-session-name\n",
      /^my\.yaml: line 6: dataset\.test\[0\] must be a mapping/,
    ],
  ])("rejects %j", (text, pattern) => {
    expect(errorOf(() => parseSplit(text, "my.yaml"))).toMatch(pattern);
  });
});

describe("loadSplit (browser-safe)", () => {
  it("takes a built-in name or YAML text", () => {
    expect(loadSplit("user3")).toEqual(builtinSplit("user3"));
    expect(loadSplit(tiny).name).toBe("tiny");
  });

  it("rejects anything else, listing the built-ins", () => {
    expect(errorOf(() => loadSplit("config/user/mine.yaml"))).toMatch(
      /^config\/user\/mine\.yaml: not a built-in split \(.*user0.*\) nor split YAML text$/,
    );
  });
});

describe("loadSplit (node)", () => {
  it("takes a built-in name, YAML text or a file path", () => {
    const dir = mkdtempSync(join(tmpdir(), "emgkit-splits-"));
    const file = join(dir, "tiny.yaml");
    writeFileSync(file, tiny);
    expect(loadSplitNode("single_user")).toEqual(builtinSplit("single_user"));
    expect(loadSplitNode(tiny).name).toBe("tiny");
    expect(loadSplitNode(file)).toEqual(parseSplit(tiny));
  });

  it("names a missing file and a bad one", () => {
    const dir = mkdtempSync(join(tmpdir(), "emgkit-splits-"));
    const missing = join(dir, "nope.yaml");
    expect(errorOf(() => loadSplitNode(missing))).toMatch(
      new RegExp(`^${missing}: no such split file \\(built-in splits: .*\\)$`),
    );
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "user: bad\n");
    expect(errorOf(() => loadSplitNode(bad))).toBe(
      `${bad}: missing \`dataset\` mapping with train/val/test lists`,
    );
  });
});

describe("session paths", () => {
  const split = parseSplit(tiny);

  it("are <root>/<session>.hdf5 per part", () => {
    expect(splitSessionPaths(split, "/data/emg2qwerty")).toEqual({
      train: ["/data/emg2qwerty/s-train-a.hdf5", "/data/emg2qwerty/s-train-b.hdf5"],
      val: ["/data/emg2qwerty/s-val.hdf5"],
      test: [],
    });
    expect(splitSessionPaths(split, "data/").val).toEqual(["data/s-val.hdf5"]);
    expect(splitSessionPaths(split, "").val).toEqual(["s-val.hdf5"]);
  });

  it("checkSplitFiles returns them when every file exists", () => {
    const root = mkdtempSync(join(tmpdir(), "emgkit-root-"));
    for (const name of ["s-train-a", "s-train-b", "s-val"])
      writeFileSync(join(root, `${name}.hdf5`), "");
    expect(checkSplitFiles(split, root)).toEqual(splitSessionPaths(split, root));
  });

  it("checkSplitFiles names every missing file in one line", () => {
    const root = mkdtempSync(join(tmpdir(), "emgkit-root-"));
    writeFileSync(join(root, "s-train-b.hdf5"), "");
    mkdirSync(join(root, "s-val.hdf5")); // a folder is not a session file
    expect(errorOf(() => checkSplitFiles(split, root))).toBe(
      `${root}: 2 of 3 session files of split tiny missing: s-train-a.hdf5, s-val.hdf5`,
    );
  });

  it("checkSplitFiles reports a missing root once", () => {
    const root = join(tmpdir(), "emgkit-no-such-root");
    expect(errorOf(() => checkSplitFiles(builtinSplit("generic"), root))).toMatch(
      new RegExp(
        `^${root}: dataset root is not a directory \\(split generic needs \\d+ session files\\)$`,
      ),
    );
  });
});
