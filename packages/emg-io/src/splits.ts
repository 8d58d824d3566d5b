/**
 * User splits in emg2qwerty's `config/user/*.yaml` format: which sessions train, validate and
 * test a model. Browser-safe; `@emgkit/emg-io/node` adds reading split files and checking that
 * the session files exist.
 *
 * Accepted YAML (Hydra's leading `# @package _global_` comment is ignored like any comment):
 * ```yaml
 * user: single_user            # the split's name
 * dataset:
 *   train:                     # a list, possibly empty ([]), of {user, session}
 *   - user: 89335547
 *     session: 2021-06-03-1622765527-keystrokes-dca-study@1-0efbe614-...
 *   val: [...]
 *   test: [...]
 * ```
 * Other keys are ignored. emg2qwerty turns each session into `<dataset.root>/<session>.hdf5`
 * (`train.py`, `_full_session_paths`); {@link splitSessionPaths} does the same.
 */
import { LineCounter, parseDocument } from "yaml";
import { BUILTIN_SPLITS, type CompactSplit } from "./builtin-splits";
import { EmgIoError } from "./errors";

/**
 * One session of a split. `user` is a string even though the YAML files write subject ids as
 * numbers: it is kept exactly as written (scalars are read with YAML's failsafe schema), so an
 * id such as `09456349` keeps its leading zero and large ids lose no digits.
 */
export interface SplitEntry {
  user: string;
  /** The session name: the stem of its HDF5 file. */
  session: string;
}

/** The parts of a split, in emg2qwerty's order. */
export const SPLIT_PARTS = ["train", "val", "test"] as const;
export type SplitPart = (typeof SPLIT_PARTS)[number];

/** A user split: its name (the YAML's top-level `user:`) and the sessions of each part. */
export interface Split {
  name: string;
  train: SplitEntry[];
  val: SplitEntry[];
  test: SplitEntry[];
}

/** Session file paths of each part, `<root>/<session>.hdf5`, in split order. */
export type SplitSessionPaths = Record<SplitPart, string[]>;

/** Splits shipped with the package: emg2qwerty's `generic`, `user0`..`user7`, `single_user`. */
export const builtinSplitNames: readonly string[] = Object.keys(BUILTIN_SPLITS);

/** A fresh copy of a built-in split; an unknown name throws an EmgIoError listing the known ones. */
export function builtinSplit(name: string): Split {
  // hasOwn, so that names such as "constructor" are not taken from Object.prototype.
  const compact = Object.hasOwn(BUILTIN_SPLITS, name) ? BUILTIN_SPLITS[name] : undefined;
  if (compact === undefined) {
    throw new EmgIoError(name, `unknown split; built-in splits: ${builtinSplitNames.join(", ")}`);
  }
  return expandCompactSplit(name, compact);
}

function expandCompactSplit(name: string, compact: CompactSplit): Split {
  const expand = (pairs: CompactSplit[SplitPart]): SplitEntry[] =>
    pairs.map(([user, session]) => ({ user, session }));
  return {
    name,
    train: expand(compact.train),
    val: expand(compact.val),
    test: expand(compact.test),
  };
}

/**
 * Parses and validates one split file's text. Problems throw one-line EmgIoErrors
 * `<source>: [line N: ]<problem>`, e.g. unparsable YAML, a missing `dataset` or `user`, a part
 * that is not a list, an entry without `session`.
 * @param source names the input in error messages (a file path, usually)
 */
export function parseSplit(yamlText: string, source = "split YAML"): Split {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { schema: "failsafe", lineCounter, prettyErrors: false });
  const [yamlError] = doc.errors;
  if (yamlError !== undefined) {
    throw new EmgIoError(source, `unparsable YAML: ${firstLine(yamlError.message)}`);
  }
  const fail: (path: readonly (string | number)[], problem: string) => never = (path, problem) => {
    const node = doc.getIn(path, true);
    const where = hasRange(node) ? `line ${lineCounter.linePos(node.range[0]).line}: ` : "";
    throw new EmgIoError(source, `${where}${problem}`);
  };

  const top: unknown = doc.toJS();
  if (!isRecord(top)) fail([], "expected a mapping with `user` and `dataset`");
  const name = top.user;
  if (typeof name !== "string" || name === "") {
    fail(["user"], "missing top-level `user` (the split's name)");
  }
  const dataset = top.dataset;
  if (!isRecord(dataset)) fail(["dataset"], "missing `dataset` mapping with train/val/test lists");

  const parseEntries = (part: SplitPart): SplitEntry[] => {
    const entries = dataset[part];
    if (!Array.isArray(entries)) {
      fail(["dataset", part], `dataset.${part} must be a list of {user, session}`);
    }
    return entries.map((entry: unknown, i) => {
      const at = ["dataset", part, i];
      const label = `dataset.${part}[${i}]`;
      if (!isRecord(entry)) fail(at, `${label} must be a mapping {user, session}`);
      const { user, session } = entry;
      if (typeof session !== "string" || session === "") fail(at, `${label} has no session`);
      if (typeof user !== "string" || user === "") fail(at, `${label} has no user`);
      return { user, session };
    });
  };
  return {
    name,
    train: parseEntries("train"),
    val: parseEntries("val"),
    test: parseEntries("test"),
  };
}

/**
 * A split from a built-in name or from YAML text (browser-safe; reading a file by path is in
 * `@emgkit/emg-io/node`). Text that is neither a built-in name nor YAML-looking (no newline, no
 * `dataset:`) throws an EmgIoError listing the built-in names.
 */
export function loadSplit(yamlTextOrName: string): Split {
  if (builtinSplitNames.includes(yamlTextOrName)) return builtinSplit(yamlTextOrName);
  if (looksLikeSplitYaml(yamlTextOrName)) return parseSplit(yamlTextOrName);
  throw new EmgIoError(
    yamlTextOrName,
    `not a built-in split (${builtinSplitNames.join(", ")}) nor split YAML text`,
  );
}

/** Whether a string is YAML text rather than a split name or file path. */
export function looksLikeSplitYaml(text: string): boolean {
  return text.includes("\n") || text.includes("dataset:");
}

/**
 * Each part's session files as `<root>/<session>.hdf5` (posix join: `/` is added unless root
 * already ends with one; an empty root gives bare file names, as Python's `Path("")` does).
 */
export function splitSessionPaths(split: Split, root: string): SplitSessionPaths {
  const prefix = root === "" || root.endsWith("/") ? root : `${root}/`;
  const paths = (entries: SplitEntry[]) => entries.map((e) => `${prefix}${e.session}.hdf5`);
  return { train: paths(split.train), val: paths(split.val), test: paths(split.test) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether a YAML node carries its source offsets (`range[0]` is where it starts). */
function hasRange(node: unknown): node is { range: [number, number, number] } {
  return typeof node === "object" && node !== null && "range" in node && Array.isArray(node.range);
}

function firstLine(message: string): string {
  return message.split("\n", 1)[0] ?? message;
}
