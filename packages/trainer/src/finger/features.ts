/**
 * The finger task's model input (browser-safe, no tfjs): from a recording's (T, channels) EMG at
 * 200 Hz, a causal per-time-point feature vector, standardised with statistics of the training
 * data. Features of frame t: the channels (centred), then, optionally, their causal rectified
 * moving average over the last `envelopeSamples` samples (t - E + 1 .. t; fewer at the start).
 * Frame t depends on samples <= t only, so the features stream.
 */

/** Channels of the finger recordings (an 8-electrode armband). */
export const FINGER_CHANNELS = 8;
/** Sample rate the finger models run at. */
export const FINGER_RATE_HZ = 200;

export interface FingerFeatureOptions {
  /**
   * Samples of the causal rectified moving average appended to the channels (default 20:
   * 100 ms at 200 Hz); 0 leaves it out.
   */
  envelopeSamples?: number;
}

export const defaultFingerFeatureOptions: Required<FingerFeatureOptions> = { envelopeSamples: 20 };

/**
 * What turns a recording into standardised features, fitted on the training data and reused
 * unchanged for test data (plain data: it is saved with pretrained encoders and results).
 */
export interface FingerFeatureStats {
  /** Input channels C. */
  channels: number;
  envelopeSamples: number;
  /** (C,) mean of each channel over the training data, subtracted before rectifying. */
  channelMean: number[];
  /** (F,) mean and standard deviation of each unstandardised feature over the training data. */
  featureMean: number[];
  featureStd: number[];
}

/** A (T, C) signal, row-major. */
export interface ChannelSignal {
  emg: Float32Array;
  frames: number;
}

/** Features per frame: C channels, plus C envelopes when `envelopeSamples` > 0. */
export function fingerFeatureCount(channels: number, envelopeSamples: number): number {
  return envelopeSamples > 0 ? 2 * channels : channels;
}

function checkSignal({ emg, frames }: ChannelSignal, channels: number): void {
  if (emg.length !== frames * channels) {
    throw new RangeError(
      `signal has ${emg.length} values; ${frames} frames need ${frames * channels}`,
    );
  }
}

/**
 * Unstandardised features, (T, F): the centred channels, then the causal moving average of
 * their absolute values. Sums run in float64.
 */
function rawFeatures(
  { emg, frames }: ChannelSignal,
  channelMean: readonly number[],
  envelopeSamples: number,
): Float32Array {
  const channels = channelMean.length;
  const features = fingerFeatureCount(channels, envelopeSamples);
  const out = new Float32Array(frames * features);
  const sums = new Float64Array(channels);
  for (let t = 0; t < frames; t++) {
    const row = t * features;
    for (let c = 0; c < channels; c++) {
      const centred = (emg[t * channels + c] as number) - (channelMean[c] as number);
      out[row + c] = centred;
      if (envelopeSamples > 0) {
        let sum = (sums[c] as number) + Math.abs(centred);
        if (t >= envelopeSamples) {
          sum -= Math.abs(
            (emg[(t - envelopeSamples) * channels + c] as number) - (channelMean[c] as number),
          );
        }
        sums[c] = sum;
        out[row + channels + c] = Math.max(sum, 0) / Math.min(t + 1, envelopeSamples);
      }
    }
  }
  return out;
}

/**
 * Statistics of the training signals (all frames of all of them, pooled). A feature that does
 * not vary gets standard deviation 1, so it standardises to 0 rather than to infinity.
 * @param signals (T_i, C) training signals
 */
export function fitFingerFeatureStats(
  signals: readonly ChannelSignal[],
  channels: number = FINGER_CHANNELS,
  options: FingerFeatureOptions = {},
): FingerFeatureStats {
  const envelopeSamples = options.envelopeSamples ?? defaultFingerFeatureOptions.envelopeSamples;
  if (!(Number.isInteger(envelopeSamples) && envelopeSamples >= 0)) {
    throw new RangeError(`envelopeSamples must be an integer >= 0, got ${envelopeSamples}`);
  }
  for (const signal of signals) checkSignal(signal, channels);
  const total = signals.reduce((sum, s) => sum + s.frames, 0);
  if (total === 0) throw new RangeError("no training frames to fit feature statistics on");
  const channelSum = new Float64Array(channels);
  for (const { emg } of signals) {
    for (let i = 0; i < emg.length; i++) {
      channelSum[i % channels] = (channelSum[i % channels] as number) + (emg[i] as number);
    }
  }
  const channelMean = Array.from(channelSum, (sum) => sum / total);
  const features = fingerFeatureCount(channels, envelopeSamples);
  const sum = new Float64Array(features);
  const sumSq = new Float64Array(features);
  for (const signal of signals) {
    const raw = rawFeatures(signal, channelMean, envelopeSamples);
    for (let i = 0; i < raw.length; i++) {
      const value = raw[i] as number;
      const f = i % features;
      sum[f] = (sum[f] as number) + value;
      sumSq[f] = (sumSq[f] as number) + value * value;
    }
  }
  const featureMean = Array.from(sum, (s) => s / total);
  const featureStd = featureMean.map((mean, f) => {
    const std = Math.sqrt(Math.max((sumSq[f] as number) / total - mean * mean, 0));
    return std > 1e-8 ? std : 1;
  });
  return { channels, envelopeSamples, channelMean, featureMean, featureStd };
}

/**
 * Standardised causal features of a signal: (T, C) -> (T, F), F = `fingerFeatureCount`.
 * Frame t depends on samples t - envelopeSamples + 1 .. t only (and on `stats`).
 */
export function fingerFeatures(signal: ChannelSignal, stats: FingerFeatureStats): Float32Array {
  checkSignal(signal, stats.channels);
  const out = rawFeatures(signal, stats.channelMean, stats.envelopeSamples);
  const features = stats.featureMean.length;
  for (let i = 0; i < out.length; i++) {
    const f = i % features;
    out[i] =
      ((out[i] as number) - (stats.featureMean[f] as number)) / (stats.featureStd[f] as number);
  }
  return out;
}
