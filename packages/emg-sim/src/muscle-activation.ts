/**
 * From key presses to muscle activations: which motor-unit pools a press
 * drives, when and how hard. A press drives the finger's flexors from 30-80 ms
 * before the key goes down, for 50-150 ms; reaching up a row adds the
 * extensors before it, reaching down adds the deep flexors, reaching sideways
 * the reach pools; the release is a short extensor burst. A held key (shift)
 * keeps its flexors on while held. Every press varies in drive, duration and
 * firing rate. Between presses, hands make small postural adjustments.
 */
import type { Random } from "@emgkit/emg-transforms";
import type { Hand } from "./keyboard";
import { INWARD_REACH_POOL, OUTWARD_REACH_POOL, POOLS_PER_HAND, poolIndex } from "./motor-units";
import type { KeyPress } from "./typing-model";

/** One pool driven over a time span. */
export interface Activation {
  band: Hand;
  pool: number;
  /** Start, seconds from the session's first sample. */
  startS: number;
  durationS: number;
  /** Peak drive, about 0-1.5: which units are recruited and how fast they fire. */
  drive: number;
  /** Scales every recruited unit's firing rate. */
  rateScale: number;
}

/** Holds longer than this keep the flexors on for the whole hold. */
const SUSTAINED_HOLD_S = 0.2;

/**
 * The activations of one press; `t0` is the session's first sample time
 * (unix seconds), `fingerDrive` the user's (hand=2, finger=5) strengths.
 */
export function pressActivations(
  press: KeyPress,
  t0: number,
  fingerDrive: Float32Array,
  random: Random,
): Activation[] {
  const { hand, finger, row, reach } = press.placement;
  const drive = (fingerDrive[hand * 5 + finger] ?? 1) * Math.exp(0.25 * random.normal());
  const rateScale = Math.exp(0.15 * random.normal());
  const pressS = press.start - t0;
  const lead = random.uniform(0.03, 0.08);
  const hold = press.end - press.start;
  const sustained = hold > SUSTAINED_HOLD_S;
  const activation = (pool: number, startS: number, durationS: number, scale: number) => ({
    band: hand,
    pool,
    startS,
    durationS,
    drive: drive * scale,
    rateScale,
  });

  const flexDuration = sustained ? lead + hold : random.uniform(0.05, 0.15);
  const activations = [
    activation(poolIndex("flex", finger), pressS - lead, flexDuration, sustained ? 0.6 : 1),
  ];
  const reachStart = pressS - lead - random.uniform(0.03, 0.07);
  if (row < 0) {
    activations.push(
      activation(
        poolIndex("extend", finger),
        reachStart,
        random.uniform(0.04, 0.08),
        row === -1 ? 0.5 : 0.8,
      ),
    );
  } else if (row > 0) {
    activations.push(activation(poolIndex("curl", finger), pressS - lead, flexDuration, 0.7));
  }
  if (reach > 0) {
    const pool = finger === 4 ? OUTWARD_REACH_POOL : INWARD_REACH_POOL;
    activations.push(
      activation(pool, reachStart, random.uniform(0.05, 0.1), Math.min(1.2, 0.35 * reach)),
    );
  }
  activations.push(
    activation(
      poolIndex("extend", finger),
      press.end - t0 - 0.01,
      random.uniform(0.04, 0.07),
      0.35,
    ),
  );
  return activations;
}

/** Small random activations of each hand over [0, durationS): about three a second, weak. */
export function posturalActivations(durationS: number, random: Random): Activation[] {
  const activations: Activation[] = [];
  for (const band of [0, 1] as const) {
    for (let t = random.uniform(0, 0.3); t < durationS; t += random.uniform(0.1, 0.6)) {
      activations.push({
        band,
        pool: random.int(0, POOLS_PER_HAND),
        startS: t,
        durationS: random.uniform(0.2, 0.6),
        drive: random.uniform(0.1, 0.25),
        rateScale: 1,
      });
    }
  }
  return activations;
}
