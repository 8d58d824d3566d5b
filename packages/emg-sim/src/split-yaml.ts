/**
 * Split files in emg2qwerty's `config/user/*.yaml` format: a personalized
 * split per user (most sessions train, one validates, one tests) and a
 * generic split (train on some users, validate and test on held-out users).
 */
import type { Split, SplitEntry } from "@emgkit/emg-io";

/** YAML text of `split`, as emg2qwerty writes its split configs. */
export function splitYaml(split: Split): string {
  const part = (name: string, entries: readonly SplitEntry[]) =>
    entries.length === 0
      ? `  ${name}: []\n`
      : `  ${name}:\n${entries.map((e) => `  - user: ${e.user}\n    session: ${e.session}\n`).join("")}`;
  return `# @package _global_\nuser: ${split.name}\ndataset:\n${part("train", split.train)}${part("val", split.val)}${part("test", split.test)}`;
}
