/**
 * Motor-unit action potential (MUAP) shapes: what one motor unit's firing
 * looks like on an electrode, 5-15 ms long. Shapes run from biphasic (first
 * derivative of a Gaussian) to triphasic (its second derivative), with
 * asymmetric phases, as recorded MUAPs are.
 */

/** Parameters of one MUAP shape. */
export interface MuapShape {
  /** 0 = biphasic, 1 = triphasic, in between = mixed. */
  phases: number;
  /** Whole shape duration, seconds (5-15 ms). */
  durationS: number;
  /** Stretches the later phases (> 0) or the earlier ones (< 0); |asymmetry| < 0.5. */
  asymmetry: number;
}

/**
 * Samples of `shape` at `sampleRateHz`, peak |value| 1, and its time
 * derivative (same scale). Electrodes at different places along the fibres see
 * the same potential with a shifted phase; mixing in the derivative models it.
 * Shapes (L,) each, L = duration * rate rounded up.
 */
export function muapTemplate(
  shape: MuapShape,
  sampleRateHz: number,
): { waveform: Float32Array; derivative: Float32Array } {
  const length = Math.max(3, Math.ceil(shape.durationS * sampleRateHz));
  const sigma = shape.durationS / 6;
  const waveform = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const t = (i + 0.5) / sampleRateHz - shape.durationS / 2;
    const warped = (t * (1 + shape.asymmetry * Math.sign(t))) / sigma;
    const gaussian = Math.exp(-0.5 * warped * warped);
    const biphasic = -warped * gaussian;
    const triphasic = (1 - warped * warped) * gaussian;
    waveform[i] = (1 - shape.phases) * biphasic + shape.phases * triphasic;
  }
  const derivative = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    derivative[i] =
      (waveform[Math.min(i + 1, length - 1)] ?? 0) - (waveform[Math.max(i - 1, 0)] ?? 0);
  }
  normalizePeak(waveform);
  normalizePeak(derivative);
  return { waveform, derivative };
}

function normalizePeak(values: Float32Array): void {
  let peak = 0;
  for (const value of values) peak = Math.max(peak, Math.abs(value));
  if (peak > 0) for (let i = 0; i < values.length; i++) values[i] = (values[i] ?? 0) / peak;
}
