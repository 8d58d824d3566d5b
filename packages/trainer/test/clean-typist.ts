import { writeSession } from "@emgkit/emg-io/node";
import { Random } from "@emgkit/emg-transforms";

const RATE_HZ = 2000;
const LETTERS = ["a", "s", "d", "f", "j", "k", "l"];

/**
 * A session whose keys are plain to see: every 0.25 s one of seven keys, each a
 * 286 Hz burst on its own electrode over the 60 ms before the press, at 8x the
 * unit noise. Learnable from EMG for certain, so an end-to-end test can ask for
 * a CER below 100 % after a bounded number of steps.
 */
export async function writeCleanTypistSession(
  path: string,
  seconds: number,
  seed: number,
): Promise<void> {
  const random = new Random(seed);
  const frames = seconds * RATE_HZ;
  const start = 1_600_000_000;
  const emg = new Float32Array(frames * 32);
  for (let i = 0; i < emg.length; i++) emg[i] = random.normal();
  const keystrokes: Array<{ key: string; start: number; end: number }> = [];
  for (let t = 0.5; t < seconds - 0.5; t += 0.25) {
    const which = random.int(0, LETTERS.length);
    keystrokes.push({ key: LETTERS[which] as string, start: start + t, end: start + t + 0.08 });
    const press = Math.round(t * RATE_HZ);
    for (let i = press - 120; i < press; i++) {
      const channel = 3 * which + 1;
      emg[i * 32 + channel] = (emg[i * 32 + channel] as number) + 8 * Math.sin(i * 0.9);
    }
  }
  await writeSession(path, {
    metadata: {
      sessionName: "clean-typist",
      user: "clean",
      condition: "on_keyboard",
      durationMins: seconds / 60,
    },
    keystrokes,
    prompts: [],
    time: Float64Array.from({ length: frames }, (_, i) => start + i / RATE_HZ),
    emg,
  });
}
