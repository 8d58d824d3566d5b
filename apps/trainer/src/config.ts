import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { CliError } from "./errors.js";

/** A resolved config: plain YAML data. */
export type ConfigTree = { [key: string]: unknown };

/** Config groups: a `defaults` entry or `group=name` picks `configs/<group>/<name>.yaml`. */
export const configGroups = [
  "model",
  "transforms",
  "optimizer",
  "lr_scheduler",
  "decoder",
] as const;
type Group = (typeof configGroups)[number];

/** The `configs/` folder shipped with the app (beside `dist/` when built, beside `src/` in tests). */
export function configsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, "..", "configs"), join(here, "..", "..", "configs")];
  const found = candidates.find((dir) => existsSync(join(dir, "base.yaml")));
  if (found === undefined) throw new CliError("the configs folder of @emgkit/cli is missing");
  return found;
}

function readYaml(path: string): ConfigTree {
  let value: unknown;
  try {
    value = parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new CliError(`${path}: ${(error as Error).message.split("\n")[0]}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new CliError(`${path}: a config file must be a YAML mapping`);
  }
  return value as ConfigTree;
}

/** Names available in a group (the YAML files of `configs/<group>/`). */
export function groupOptions(group: Group): string[] {
  const dir = join(configsDir(), group);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(".yaml"))
    .map((file) => file.slice(0, -".yaml".length))
    .sort();
}

/** `configs/<group>/<name>.yaml`; an unknown name is a usage error listing the known ones. */
export function groupConfig(group: Group, name: string): ConfigTree {
  const path = join(configsDir(), group, `${name}.yaml`);
  if (!existsSync(path)) {
    throw new CliError(`unknown ${group} "${name}"; known: ${groupOptions(group).join(", ")}`, 2);
  }
  return readYaml(path);
}

function isTree(value: unknown): value is ConfigTree {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `over` laid onto `base`, mappings merged key by key, everything else replaced. */
export function mergeConfig(base: ConfigTree, over: ConfigTree): ConfigTree {
  const out: ConfigTree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isTree(current) && isTree(value) ? mergeConfig(current, value) : value;
  }
  return out;
}

/** Parses `key=value` overrides; values are YAML scalars or flow collections (`[1, 2]`). */
export function parseOverrides(args: readonly string[]): Array<[string, unknown]> {
  return args.map((arg) => {
    const eq = arg.indexOf("=");
    if (eq <= 0) throw new CliError(`override "${arg}" is not key=value`, 2);
    const key = arg.slice(0, eq);
    const text = arg.slice(eq + 1);
    let value: unknown;
    try {
      value = parse(text);
    } catch {
      value = text;
    }
    return [key, value ?? null];
  });
}

/**
 * The config of a command, as Hydra composes emg2qwerty's: `base.yaml`, its
 * group defaults, then `file` (a preset such as `demo.yaml`), then the
 * overrides (`applyOverrides`). Unknown keys are errors (exit 2) so a typo
 * never trains with a default silently.
 */
export function resolveConfig(overrides: readonly string[], file?: string): ConfigTree {
  const base = readYaml(join(configsDir(), "base.yaml"));
  const presetPath =
    file === undefined
      ? undefined
      : file.includes("/") || file.endsWith(".yaml")
        ? file
        : join(configsDir(), `${file}.yaml`);
  if (presetPath !== undefined && !existsSync(presetPath))
    throw new CliError(`config file ${presetPath} does not exist`, 2);
  const preset = presetPath === undefined ? {} : readYaml(presetPath);
  const choices = {
    ...(base.defaults as Record<string, string>),
    ...((preset.defaults as Record<string, string> | undefined) ?? {}),
  };
  const { defaults: _base, ...baseValues } = base;
  const { defaults: _preset, ...presetValues } = preset;
  let config: ConfigTree = { ...baseValues };
  for (const group of configGroups) {
    const name = choices[group];
    if (name !== undefined) config[group] = groupConfig(group, name);
  }
  config = mergeConfig(config, presetValues);
  return applyOverrides(config, overrides);
}

/**
 * `key=value` overrides on a resolved config: `group=name` replaces a group by
 * `configs/<group>/<name>.yaml`, dotted keys set one value (they must exist,
 * except inside `model.config` and `transforms.*`, whose keys are free-form).
 */
export function applyOverrides(config: ConfigTree, overrides: readonly string[]): ConfigTree {
  const out = structuredClone(config);
  for (const [key, value] of parseOverrides(overrides)) {
    if ((configGroups as readonly string[]).includes(key))
      out[key] = groupConfig(key as Group, String(value));
    else setPath(out, key, value);
  }
  return out;
}

/** Sets a dotted key; the parent mapping must exist and, outside free-form maps, so must the key. */
function setPath(config: ConfigTree, key: string, value: unknown): void {
  const parts = key.split(".");
  let node: ConfigTree = config;
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    // model.config.* and transforms.* are free-form (each architecture has its own keys).
    const freeForm = parts[0] === "model" && i >= 2 ? true : parts[0] === "transforms" && i >= 2;
    if (!(part in node) && !freeForm) {
      const known = Object.keys(node).join(", ");
      throw new CliError(`unknown config key "${key}" (known at this level: ${known})`, 2);
    }
    if (last) {
      node[part] = value;
      return;
    }
    const child = node[part];
    if (child === undefined && freeForm) node[part] = {};
    else if (!isTree(child))
      throw new CliError(`config key "${parts.slice(0, i + 1).join(".")}" is not a mapping`, 2);
    node = node[part] as ConfigTree;
  }
}

/** The config as YAML text, as saved in the run directory. */
export function configYaml(config: ConfigTree): string {
  return stringify(config);
}
