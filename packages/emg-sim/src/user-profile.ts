/**
 * Simulated people and their sessions. A user has an anatomy (motor-unit
 * pools, finger strengths), a typing style, a habitual band placement
 * (rotation by whole electrodes) and electrode contact gains. Each session
 * puts the bands on again: sometimes one electrode further round, a fraction
 * of an electrode off, slightly different gains and MUAP durations. So a model
 * for one user is easier than one for everybody.
 */
import { Random } from "@emgkit/emg-transforms";
import { drawHandPools, ELECTRODES, type MotorUnit } from "./motor-units";
import { drawTypistStyle, type TypistStyle } from "./typing-model";

export const BANDS = 2;

export interface SimulatedUser {
  /** The user id written to sessions and splits (8 digits, like emg2qwerty's subject ids). */
  id: string;
  typing: TypistStyle;
  /** Motor units: [hand][pool][unit], hand 0 = left = band 0. */
  pools: readonly [MotorUnit[][], MotorUnit[][]];
  /** Drive scale of each finger: (hand=2, finger=5). */
  fingerDrive: Float32Array;
  /** Habitual band rotation, whole electrodes, per band. */
  bandRotation: readonly [number, number];
  /** Contact gain of each electrode: (band=2, electrode=16). */
  electrodeGains: Float32Array;
  /** Amplifier and skin noise, microvolts RMS. */
  noiseFloorUv: number;
}

/** How the bands sit in one session. */
export interface SessionPlacement {
  /** Ring position of electrode 0, per band: rotation plus a fractional offset. */
  bandShift: readonly [number, number];
  /** Electrode gains of this session: (band=2, electrode=16). */
  electrodeGains: Float32Array;
  /** MUAP duration scale (temperature, band pressure). */
  muapDurationScale: number;
}

/** A user drawn from `seed`; `id` defaults to 8 digits drawn from the seed. */
export function createUser(seed: number, id?: string): SimulatedUser {
  const random = new Random(seed);
  const drawnId = String(random.int(10_000_000, 100_000_000));
  const typing = drawTypistStyle(random.fork());
  const anatomy = random.fork();
  const unitsPerPool = anatomy.int(8, 15);
  const pools = [
    drawHandPools(anatomy, 0, unitsPerPool),
    drawHandPools(anatomy, 1, unitsPerPool),
  ] as const;
  const fingerDrive = Float32Array.from({ length: BANDS * 5 }, () => anatomy.uniform(0.8, 1.2));
  const electrodeGains = Float32Array.from({ length: BANDS * ELECTRODES }, () =>
    Math.exp(0.3 * anatomy.normal()),
  );
  return {
    id: id ?? drawnId,
    typing,
    pools,
    fingerDrive,
    bandRotation: [anatomy.int(0, ELECTRODES), anatomy.int(0, ELECTRODES)],
    electrodeGains,
    noiseFloorUv: anatomy.uniform(1.5, 4),
  };
}

/** This session's placement: the user's, one electrode off 30 % of the time, jittered. */
export function drawSessionPlacement(user: SimulatedUser, random: Random): SessionPlacement {
  const shift = (rotation: number): number => {
    const slip = random.next();
    const whole = slip < 0.15 ? -1 : slip < 0.3 ? 1 : 0;
    return rotation + whole + 0.2 * random.normal();
  };
  return {
    bandShift: [shift(user.bandRotation[0]), shift(user.bandRotation[1])],
    electrodeGains: user.electrodeGains.map((gain) => gain * Math.exp(0.1 * random.normal())),
    muapDurationScale: Math.exp(0.04 * random.normal()),
  };
}
