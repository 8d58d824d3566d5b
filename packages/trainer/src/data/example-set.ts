import { openSession, type Session } from "@emgkit/emg-io/node";
import type { AugmentConfig, WindowingOptions } from "@emgkit/emg-transforms";
import { SessionExamples } from "./examples.js";

/** Plain data describing a dataset, so a worker thread can open the same one. */
export interface ExampleSetSpec {
  /** Session files, in split order. */
  paths: string[];
  /** Samples kept at the start of each session (training-data budget); null keeps all. */
  limits?: (number | null)[];
  windowing: WindowingOptions;
  transforms: AugmentConfig;
}

/** Opens the sessions of `spec` (from disk) as indexable examples; `close` releases the files. */
export async function openExampleSet(
  spec: ExampleSetSpec,
): Promise<{ examples: SessionExamples; close(): void }> {
  const sessions: Session[] = [];
  try {
    for (const path of spec.paths) sessions.push(await openSession(path));
  } catch (error) {
    for (const session of sessions) session.close();
    throw error;
  }
  return {
    examples: new SessionExamples(sessions, spec.windowing, spec.transforms, spec.limits),
    close: () => {
      for (const session of sessions) session.close();
    },
  };
}
