/**
 * Motor-unit pools of the forearm muscles that move the fingers, as a band
 * around the wrist sees them. Each hand has, per finger, a flexor pool (press),
 * an extensor pool (lift, reach up a row, release) and a deep-flexor pool
 * (curl, reach down a row), plus two pools for sideways reaches (index inward,
 * pinky outward): 17 pools per hand. Flexors lie on the palm side of the ring
 * (electrodes 0-8), extensors on the back (9-15); the right band is mirrored.
 */
import type { Random } from "@emgkit/emg-transforms";
import type { Finger, Hand } from "./keyboard";
import type { MuapShape } from "./muap-templates";
import type { Footprint } from "./spatial-footprint";

export const ELECTRODES = 16;
export type Movement = "flex" | "extend" | "curl";
const MOVEMENT_ORDER: readonly Movement[] = ["flex", "extend", "curl"];
/** Pool of the index finger's inward reach (t g b y h n 5 6). */
export const INWARD_REACH_POOL = 15;
/** Pool of the pinky's outward reach ([ ] ' - = enter backspace shift). */
export const OUTWARD_REACH_POOL = 16;
export const POOLS_PER_HAND = 17;

/** Pool index of a finger movement, 0-14. */
export function poolIndex(movement: Movement, finger: Finger): number {
  return MOVEMENT_ORDER.indexOf(movement) * 5 + finger;
}

/** One motor unit: where it shows, what its potential looks like, when it is recruited. */
export interface MotorUnit {
  footprint: Footprint;
  shape: MuapShape;
  /** Peak amplitude on the electrode right above it, microvolts. */
  amplitudeUv: number;
  /** Drive (0-1) at which it starts firing: small units first (size principle). */
  threshold: number;
  /** Firing rate at recruitment, Hz. */
  baseRateHz: number;
}

/** Ring positions (left band) of each pool's centre, before a user's own anatomy. */
const LEFT_CENTERS: readonly number[] = [
  ...[1.0, 2.5, 4.0, 5.5, 7.0], // flexors, thumb..pinky
  ...[15.0, 13.0, 11.8, 10.8, 9.8], // extensors
  ...[1.7, 3.2, 4.7, 6.2, 7.7], // deep flexors
  14.3, // inward reach (radial side)
  8.5, // outward reach (ulnar side)
];

/**
 * Draws one user's pools for one hand: pool centres moved by the user's
 * anatomy (about half an electrode), pool-specific MUAP shapes and strengths,
 * `unitsPerPool` units per pool with thresholds spread over 0-0.85.
 * Shape: [pool][unit].
 */
export function drawHandPools(random: Random, hand: Hand, unitsPerPool: number): MotorUnit[][] {
  return LEFT_CENTERS.map((leftCenter, pool) => {
    const deep = pool >= 10 && pool < 15;
    const reach = pool >= 15;
    const center = (hand === 0 ? leftCenter : ELECTRODES - leftCenter) + 0.6 * random.normal();
    const width = random.uniform(0.9, 1.5) * (deep ? 1.6 : 1);
    const crosstalk = random.uniform(0.05, 0.2);
    const poolShape: MuapShape = {
      phases: random.next(),
      durationS: random.uniform(0.005, 0.015),
      asymmetry: random.uniform(-0.3, 0.3),
    };
    const poolGain = Math.exp(0.3 * random.normal()) * (deep ? 0.6 : reach ? 0.7 : 1);
    return Array.from({ length: unitsPerPool }, (_, k) => {
      const threshold = (0.85 * (k + random.next())) / unitsPerPool;
      return {
        footprint: {
          center: center + 0.4 * random.normal(),
          width: width * Math.exp(0.15 * random.normal()),
          crosstalk,
        },
        shape: {
          phases: Math.min(1, Math.max(0, poolShape.phases + 0.15 * random.normal())),
          durationS: Math.min(
            0.015,
            Math.max(0.005, poolShape.durationS * Math.exp(0.15 * random.normal())),
          ),
          asymmetry: poolShape.asymmetry + 0.1 * random.normal(),
        },
        amplitudeUv: 22 * poolGain * (0.4 + threshold) * Math.exp(0.3 * random.normal()),
        threshold,
        baseRateHz: random.uniform(7, 11),
      };
    });
  });
}
