/**
 * The 8-channel finger dataset: a Myo-like armband (8 electrodes around the
 * forearm, 200 Hz, integer samples in [-128, 127]) recording a cued protocol:
 * rest, then one finger flexed and held, rest, the next finger, each finger
 * `repetitions` times in random order. A finger's activity is a smooth bump
 * over two or three neighbouring electrodes (its flexor) plus a weaker one on
 * the opposite side (co-contracting extensor), placed per person; at 200 Hz
 * motor-unit potentials blur into amplitude-modulated noise, which is how
 * the signal is drawn. Rows are labelled 0 rest, 1 thumb ... 5 pinky,
 * in the CSV format emg-io's `parseFingerCsv` reads.
 */
import { FINGER_CSV_CHANNELS } from "@emgkit/emg-io";
import { Random } from "@emgkit/emg-transforms";
import { type Footprint, footprintWeight } from "./spatial-footprint";

export interface FingerCsvSimulationOptions {
  seed: number;
  /** Times each finger is moved (default 5). */
  repetitions?: number;
  /** Samples per second (default 200). */
  sampleRateHz?: number;
  /** Timestamp of the first row, seconds (default 0). */
  startTime?: number;
}

const FINGER_COUNT = 5;
/** Rise and fall of a contraction, seconds. */
const RAMP_S = 0.15;

/** CSV text (header, then `timestamp,ch1..ch8,label` rows) of one simulated recording. */
export function simulateFingerCsv(options: FingerCsvSimulationOptions): string {
  const random = new Random(options.seed);
  const rate = options.sampleRateHz ?? 200;
  const repetitions = options.repetitions ?? 5;
  const channels = FINGER_CSV_CHANNELS;
  const rotation = random.uniform(0, channels);
  // Flexor and extensor footprints of each finger, the extensor roughly opposite.
  const weights = new Float32Array(FINGER_COUNT * channels);
  for (let f = 0; f < FINGER_COUNT; f++) {
    const flexor: Footprint = {
      center: 0.6 + f * 0.7 + 0.3 * random.normal(),
      width: random.uniform(0.7, 1.1),
      crosstalk: 0.15,
    };
    const extensor: Footprint = {
      ...flexor,
      center: flexor.center + channels / 2 + 0.5 * random.normal(),
    };
    const strength = random.uniform(25, 45);
    const coContraction = random.uniform(0.2, 0.5);
    for (let c = 0; c < channels; c++) {
      weights[f * channels + c] =
        strength *
        (footprintWeight(flexor, c, channels, rotation) +
          coContraction * footprintWeight(extensor, c, channels, rotation));
    }
  }
  const floor = Float32Array.from({ length: channels }, () => random.uniform(1, 2.5));

  // The cue sequence: each finger `repetitions` times, shuffled, rest between.
  const order = Array.from(
    { length: FINGER_COUNT * repetitions },
    (_, i) => (i % FINGER_COUNT) + 1,
  );
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.int(0, i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const header = "timestamp,ch1,ch2,ch3,ch4,ch5,ch6,ch7,ch8,label\n";
  const rows: string[] = [header];
  const startTime = options.startTime ?? 0;
  let sample = 0;
  const emit = (
    label: number,
    frames: number,
    envelope: (u: number) => number,
    weightRow: number,
    level: number,
  ) => {
    for (let i = 0; i < frames; i++, sample++) {
      const drive = level * envelope(i / rate) * (1 + 0.15 * random.normal());
      let row = (startTime + sample / rate).toFixed(3);
      for (let c = 0; c < channels; c++) {
        const scale = (floor[c] as number) + drive * (weights[weightRow * channels + c] ?? 0);
        row += `,${Math.max(-128, Math.min(127, Math.round(scale * random.normal())))}`;
      }
      rows.push(`${row},${label}\n`);
    }
  };
  const rest = () => emit(0, Math.round(random.uniform(1.5, 3) * rate), () => 0, 0, 0);
  rest();
  for (const finger of order) {
    const holdS = random.uniform(1.5, 2.5);
    const envelope = (t: number) => Math.min(1, t / RAMP_S, (holdS - t) / RAMP_S);
    emit(finger, Math.round(holdS * rate), envelope, finger - 1, Math.exp(0.2 * random.normal()));
    rest();
  }
  return rows.join("");
}
