/**
 * Node side of user splits: loading a split from a file path (or a built-in name, or YAML text)
 * and checking that a split's session files exist under a dataset root.
 */
import { readFileSync, type Stats, statSync } from "node:fs";
import { basename } from "node:path";
import { EmgIoError } from "../errors";
import {
  builtinSplit,
  builtinSplitNames,
  looksLikeSplitYaml,
  parseSplit,
  type Split,
  type SplitSessionPaths,
  splitSessionPaths,
} from "../splits";

/**
 * A split from, in this order: a built-in name (`generic`, `user0`..`user7`, `single_user`);
 * YAML text (anything with a newline or `dataset:`); else a path to a split YAML file.
 * Problems throw one-line EmgIoErrors naming the file (missing, unreadable, bad content).
 */
export function loadSplit(yamlTextOrPathOrName: string): Split {
  if (builtinSplitNames.includes(yamlTextOrPathOrName)) return builtinSplit(yamlTextOrPathOrName);
  if (looksLikeSplitYaml(yamlTextOrPathOrName)) return parseSplit(yamlTextOrPathOrName);
  return parseSplit(readSplitFile(yamlTextOrPathOrName), yamlTextOrPathOrName);
}

function readSplitFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === "ENOENT"
        ? `no such split file (built-in splits: ${builtinSplitNames.join(", ")})`
        : `cannot read split file (${code ?? String(error)})`;
    throw new EmgIoError(path, problem);
  }
}

/**
 * The split's session paths under `root` (see `splitSessionPaths`), after checking that every
 * one is a file. Unlike emg2qwerty, which stops at the first missing session, this throws one
 * EmgIoError naming all of them:
 * `<root>: N of M session files of split <name> missing: a.hdf5, b.hdf5, ...`.
 * A root that is not a directory is reported once instead.
 */
export function checkSplitFiles(split: Split, root: string): SplitSessionPaths {
  const paths = splitSessionPaths(split, root);
  const unique = [...new Set([...paths.train, ...paths.val, ...paths.test])];
  const rootName = root === "" ? "." : root;
  if (!isDirectory(rootName)) {
    throw new EmgIoError(
      rootName,
      `dataset root is not a directory (split ${split.name} needs ${unique.length} session files)`,
    );
  }
  const missing = unique.filter((path) => !isFile(path));
  if (missing.length > 0) {
    const names = missing.map((path) => basename(path)).join(", ");
    throw new EmgIoError(
      rootName,
      `${missing.length} of ${unique.length} session files of split ${split.name} missing: ${names}`,
    );
  }
  return paths;
}

/** Unreadable entries (permissions, a file where a folder should be) count as absent. */
function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function isFile(path: string): boolean {
  return statOrUndefined(path)?.isFile() ?? false;
}

function isDirectory(path: string): boolean {
  return statOrUndefined(path)?.isDirectory() ?? false;
}
