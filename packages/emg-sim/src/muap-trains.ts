/**
 * Motor-unit action-potential trains: each recruited unit of an activated
 * pool fires at a rate that follows the drive, and every firing adds the
 * unit's spatio-temporal potential (its MUAP on each of the band's 16
 * electrodes) to the signal. Potentials are built once per session, so
 * rendering a firing is one multiply-add per sample and electrode.
 */
import type { Random } from "@emgkit/emg-transforms";
import { ELECTRODES, type MotorUnit } from "./motor-units";
import { muapTemplate } from "./muap-templates";
import type { Activation } from "./muscle-activation";
import { circularOffset, footprintWeight } from "./spatial-footprint";
import type { SessionPlacement, SimulatedUser } from "./user-profile";

/** A motor unit as this session records it. */
interface RecordedUnit {
  /** Potential on each electrode of its band: (L, 16) row-major. */
  potential: Float32Array;
  samples: number;
  threshold: number;
  baseRateHz: number;
}

/** Rate gained per unit of drive above threshold, Hz. */
const RATE_PER_DRIVE_HZ = 30;
const MAX_RATE_HZ = 45;
/** Firing-interval variability (coefficient of variation). */
const INTERVAL_CV = 0.15;

/** Units of every pool of a session, ready to render: [band][pool][unit]. */
export class MuapTrains {
  private readonly units: RecordedUnit[][][];

  constructor(
    user: SimulatedUser,
    placement: SessionPlacement,
    private readonly sampleRateHz: number,
  ) {
    this.units = user.pools.map((pools, band) =>
      pools.map((units) => units.map((unit) => this.record(unit, band, placement))),
    );
  }

  /**
   * Adds the firings of `activation` to `emg` (T, band=2, channel=16) of
   * `frames` samples; firings outside the recording are dropped.
   */
  render(activation: Activation, emg: Float32Array, frames: number, random: Random): void {
    const units = this.units[activation.band]?.[activation.pool] ?? [];
    // A local copy: an imported binding is a property read in every iteration (under tsx, vitest).
    const electrodes = ELECTRODES;
    const rowStride = 2 * electrodes;
    const bandOffset = activation.band * electrodes;
    const end = activation.startS + activation.durationS;
    for (const unit of units) {
      if (activation.drive <= unit.threshold) continue;
      const { potential, samples } = unit;
      // Higher-threshold units join later in the rise of the drive.
      let t = activation.startS + activation.durationS * 0.3 * (unit.threshold / activation.drive);
      t += random.uniform(0, 0.01);
      while (t < end) {
        const excess =
          activation.drive * Math.sin((Math.PI * (t - activation.startS)) / activation.durationS) -
          unit.threshold;
        if (excess > 0) {
          const amplitude = 1 + 0.05 * random.normal();
          const first = Math.round(t * this.sampleRateHz);
          const from = Math.max(0, -first);
          const to = Math.min(samples, frames - first);
          for (let s = from; s < to; s++) {
            const row = (first + s) * rowStride + bandOffset;
            const tap = s * electrodes;
            for (let c = 0; c < electrodes; c++) {
              emg[row + c] = (emg[row + c] as number) + amplitude * (potential[tap + c] as number);
            }
          }
          const rate = Math.min(
            MAX_RATE_HZ,
            (unit.baseRateHz + RATE_PER_DRIVE_HZ * excess) * activation.rateScale,
          );
          t += Math.max(0.5 / rate, (1 + INTERVAL_CV * random.normal()) / rate);
        } else {
          t += 0.005;
        }
      }
    }
  }

  /**
   * The unit's potential on each electrode: footprint weight times session
   * gain, with the phase drifting across the bump (the derivative mixed in on
   * either side), as potentials travelling along fibres look from beside.
   */
  private record(unit: MotorUnit, band: number, placement: SessionPlacement): RecordedUnit {
    const shape = { ...unit.shape, durationS: unit.shape.durationS * placement.muapDurationScale };
    const { waveform, derivative } = muapTemplate(shape, this.sampleRateHz);
    const samples = waveform.length;
    const potential = new Float32Array(samples * ELECTRODES);
    const shift = placement.bandShift[band as 0 | 1];
    for (let c = 0; c < ELECTRODES; c++) {
      const gain = placement.electrodeGains[band * ELECTRODES + c] ?? 1;
      const weight =
        unit.amplitudeUv * gain * footprintWeight(unit.footprint, c, ELECTRODES, shift);
      const side =
        circularOffset(c + shift, unit.footprint.center, ELECTRODES) / unit.footprint.width;
      const mix = 0.6 * Math.tanh(side);
      for (let s = 0; s < samples; s++) {
        potential[s * ELECTRODES + c] = weight * ((waveform[s] ?? 0) + mix * (derivative[s] ?? 0));
      }
    }
    return { potential, samples, threshold: unit.threshold, baseRateHz: unit.baseRateHz };
  }
}
