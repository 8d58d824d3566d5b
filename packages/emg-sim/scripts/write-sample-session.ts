/**
 * Writes one simulated session, for a look in h5py or the viewer:
 *   node --import tsx scripts/write-sample-session.ts OUT.hdf5 [minutes=0.5] [seed=1]
 */
import { writeSession } from "@emgkit/emg-io/node";
import { simulateSession } from "../src/index";

const [path, minutes = "0.5", seed = "1"] = process.argv.slice(2);
if (path === undefined) {
  console.error("usage: write-sample-session.ts OUT.hdf5 [minutes] [seed]");
  process.exit(1);
}
const session = simulateSession({ seed: Number(seed), durationMinutes: Number(minutes) });
await writeSession(path, session);
console.log(
  `${path}: ${session.metadata.sessionName}, ${session.keystrokes.length} keystrokes, ${session.prompts.length} prompts`,
);
