/**
 * What a recording adds to the muscles' signal: amplifier and skin noise
 * (white, per electrode), power-line hum (60 Hz and its 2nd and 3rd harmonics,
 * common to a band with per-electrode coupling) and baseline wander (electrode
 * offsets drifting below 1 Hz). Runs over the whole (T, 32) buffer in blocks
 * with no allocation per sample.
 */
import { Random } from "@emgkit/emg-transforms";

export interface RecordingNoise {
  /** White noise RMS per channel, microvolts: (32,). */
  floorUv: Float32Array;
  /** Hum amplitude of each harmonic (60, 120, 180 Hz), microvolts. */
  humUv: readonly number[];
  /** Hum coupling of each channel, 0.3-1: (32,). */
  humCoupling: Float32Array;
  /** Hum phase of each band and harmonic, radians: (2, 3). */
  humPhase: Float64Array;
  /** DC offset per channel, microvolts: (32,). */
  offsetUv: Float32Array;
  /** Wander amplitude (µV), frequency (Hz) and phase per channel: (32,) each. */
  wanderUv: Float32Array;
  wanderHz: Float32Array;
  wanderPhase: Float32Array;
}

export const HUM_HZ = 60;
const HARMONICS = 3;
/** Noise is read from a fixed table of normal samples at random offsets, one per block and channel. */
const TABLE_SIZE = 1 << 16;
const BLOCK = 256;
let gaussianTable: Float32Array | undefined;

function normalTable(): Float32Array {
  if (gaussianTable === undefined) {
    const random = new Random(0x5eed);
    gaussianTable = Float32Array.from({ length: TABLE_SIZE }, () => random.normal());
  }
  return gaussianTable;
}

/** Draws a session's noise: the user's noise floor, hum of 1-8 µV, offsets up to ±300 µV. */
export function drawRecordingNoise(
  floorUv: number,
  channels: number,
  random: Random,
): RecordingNoise {
  const perChannel = (draw: () => number) => Float32Array.from({ length: channels }, draw);
  const hum = random.uniform(1, 8);
  return {
    floorUv: perChannel(() => floorUv * Math.exp(0.2 * random.normal())),
    humUv: [hum, hum * random.uniform(0.1, 0.4), hum * random.uniform(0.05, 0.2)],
    humCoupling: perChannel(() => random.uniform(0.3, 1)),
    humPhase: Float64Array.from({ length: 2 * HARMONICS }, () => random.uniform(0, 2 * Math.PI)),
    offsetUv: perChannel(() => random.uniform(-300, 300)),
    wanderUv: perChannel(() => random.uniform(10, 80)),
    wanderHz: perChannel(() => random.uniform(0.05, 0.6)),
    wanderPhase: perChannel(() => random.uniform(0, 2 * Math.PI)),
  };
}

/**
 * Adds `noise` to `emg` (T, band=2, channel=16) in place. `random` picks the
 * noise-table offsets, so the same seed gives the same noise.
 */
export function addRecordingNoise(
  emg: Float32Array,
  frames: number,
  noise: RecordingNoise,
  sampleRateHz: number,
  random: Random,
): void {
  const channels = noise.floorUv.length;
  const perBand = channels / 2;
  const table = normalTable();
  const { floorUv, humCoupling, humUv, humPhase } = noise;
  // Hum of each band over the current block: (band=2, BLOCK).
  const humBlock = new Float64Array(2 * BLOCK);

  for (let blockStart = 0; blockStart < frames; blockStart += BLOCK) {
    const length = Math.min(frames, blockStart + BLOCK) - blockStart;
    humBlock.fill(0);
    for (let k = 0; k < 2 * HARMONICS; k++) {
      const h = k % HARMONICS;
      const omega = (2 * Math.PI * HUM_HZ * (h + 1)) / sampleRateHz;
      // Exact phase at the block start; a rotation inside the block (no Math.sin per sample).
      const phase = omega * blockStart + (humPhase[k] ?? 0);
      const stepCos = Math.cos(omega);
      const stepSin = Math.sin(omega);
      const amplitude = humUv[h] ?? 0;
      const band = k < HARMONICS ? 0 : BLOCK;
      let cos = Math.cos(phase);
      let sin = Math.sin(phase);
      for (let s = 0; s < length; s++) {
        humBlock[band + s] = (humBlock[band + s] as number) + amplitude * sin;
        const next = cos * stepCos - sin * stepSin;
        sin = sin * stepCos + cos * stepSin;
        cos = next;
      }
    }
    const tStart = blockStart / sampleRateHz;
    const tEnd = (blockStart + length) / sampleRateHz;
    for (let c = 0; c < channels; c++) {
      const drift = wanderAt(noise, c, tStart);
      const driftStep = (wanderAt(noise, c, tEnd) - drift) / length;
      const floor = floorUv[c] as number;
      const coupling = humCoupling[c] as number;
      const humOffset = c < perBand ? 0 : BLOCK;
      const tableOffset = random.int(0, TABLE_SIZE - BLOCK);
      let index = blockStart * channels + c;
      for (let s = 0; s < length; s++, index += channels) {
        emg[index] =
          (emg[index] as number) +
          (table[tableOffset + s] as number) * floor +
          (humBlock[humOffset + s] as number) * coupling +
          drift +
          driftStep * s;
      }
    }
  }
}

/** Offset plus slow drift of channel `c` at time `t` (seconds). */
function wanderAt(noise: RecordingNoise, c: number, t: number): number {
  const phase = 2 * Math.PI * (noise.wanderHz[c] ?? 0) * t + (noise.wanderPhase[c] ?? 0);
  return (noise.offsetUv[c] ?? 0) + (noise.wanderUv[c] ?? 0) * Math.sin(phase);
}
