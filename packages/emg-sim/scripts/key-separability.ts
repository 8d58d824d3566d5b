/**
 * A quick check that keys can be told apart from the signal and that users
 * differ: a nearest-centroid classifier of lower-case letters on log RMS per
 * electrode in two windows before each press (64 features), trained on one
 * session of a user, tested on a new session of the same user and on another
 * user's session.
 *   node --import tsx scripts/key-separability.ts
 */
import type { SessionData } from "@emgkit/emg-io";
import { createUser, PromptSource, simulateSession } from "../src/index";

/** Windows before and around the press, samples relative to it. */
const WINDOWS = [
  [-160, -60],
  [-60, 40],
] as const;
const FEATURES = WINDOWS.length * 32;

interface Example {
  key: string;
  features: Float64Array;
}

function examples(session: SessionData): Example[] {
  const t0 = session.time[0] ?? 0;
  const out: Example[] = [];
  for (const keystroke of session.keystrokes) {
    if (!/^[a-z]$/.test(keystroke.key)) continue;
    const at = Math.round((keystroke.start - t0) * 2000);
    const features = new Float64Array(FEATURES);
    WINDOWS.forEach(([from, to], w) => {
      for (let c = 0; c < 32; c++) {
        let sum = 0;
        for (let t = at + from; t < at + to; t++) sum += (session.emg[t * 32 + c] ?? 0) ** 2;
        features[w * 32 + c] = Math.log(sum / (to - from) + 1);
      }
    });
    out.push({ key: keystroke.key, features });
  }
  return out;
}

function accuracy(train: Example[], test: Example[]): string {
  const centroids = new Map<string, { sum: Float64Array; count: number }>();
  for (const { key, features } of train) {
    const centroid = centroids.get(key) ?? { sum: new Float64Array(FEATURES), count: 0 };
    features.forEach((v, i) => {
      centroid.sum[i] = (centroid.sum[i] ?? 0) + v;
    });
    centroid.count++;
    centroids.set(key, centroid);
  }
  let correct = 0;
  let total = 0;
  for (const { key, features } of test) {
    if (!centroids.has(key)) continue;
    let best = "";
    let bestDistance = Infinity;
    for (const [candidate, { sum, count }] of centroids) {
      let distance = 0;
      for (let i = 0; i < FEATURES; i++)
        distance += ((features[i] ?? 0) - (sum[i] ?? 0) / count) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
    }
    total++;
    if (best === key) correct++;
  }
  return `${((100 * correct) / total).toFixed(1)} % of ${total} presses`;
}

const prompts = new PromptSource();
const [userA, userB] = [createUser(1), createUser(2)];
const train = examples(simulateSession({ seed: 10, user: userA, durationMinutes: 6, prompts }));
const sameUser = examples(simulateSession({ seed: 11, user: userA, durationMinutes: 3, prompts }));
const otherUser = examples(simulateSession({ seed: 12, user: userB, durationMinutes: 3, prompts }));
console.log(`same user, new session: ${accuracy(train, sameUser)}`);
console.log(`other user:             ${accuracy(train, otherUser)}`);
const counts = new Map<string, number>();
for (const { key } of sameUser) counts.set(key, (counts.get(key) ?? 0) + 1);
const majority = (100 * Math.max(...counts.values())) / sameUser.length;
console.log(`always the most frequent letter: ${majority.toFixed(1)} %`);
