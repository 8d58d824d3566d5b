/**
 * @emgkit/emg-transforms: emg2qwerty's features and windows on typed arrays
 * (browser-safe, no tfjs).
 */

export { shiftBandAlignment, temporalAlignmentJitter } from "./alignment-jitter.js";
export {
  type AugmentConfig,
  type AugmentDraws,
  augmentWindow,
  EMG2QWERTY_EVAL_TRANSFORMS,
  EMG2QWERTY_TRAIN_TRANSFORMS,
  type LogSpectrogramFn,
  transformsInputShape,
} from "./augment-pipeline.js";
export {
  type BandLayout,
  DEFAULT_BAND_ROTATION_OFFSETS,
  randomBandRotation,
  rollBandChannels,
} from "./band-rotation.js";
export {
  chooseElectrodes,
  type ElectrodeSubsetOptions,
  type ElectrodeSubsetStrategy,
  electrodeSubset,
  selectElectrodes,
} from "./electrode-subset.js";
export {
  addGaussianNoise,
  type ChannelGainOptions,
  type NoiseOptions,
  randomChannelGain,
} from "./gain-noise.js";
export { Random } from "./random.js";
export {
  decimate,
  designDecimationFilter,
  EMG_SAMPLE_RATE,
  type EmgRate,
  hopForRate,
  MIN_N_FFT,
  nFftForRate,
  type ResampleOptions,
  resampleEmg,
  SPECTROGRAM_FRAME_RATE,
  SUPPORTED_EMG_RATES,
  spectrogramParamsForRate,
} from "./resample.js";
export { checkSignal, type Signal } from "./signal.js";
export {
  type AppliedMask,
  maskRangeFromDraws,
  type SpecAugmentOptions,
  type SpectrogramLike,
  specAugment,
  torchRandFloat32,
} from "./spec-augment.js";
export {
  logSpectrogram,
  logSpectrogramWith,
  type Spectrogram,
  type SpectrogramOptions,
  StftPlan,
  spectrogramFrames,
} from "./spectrogram.js";
export { StreamingSpectrogram } from "./streaming-spectrogram.js";
export {
  type LabelledWindow,
  placeWindow,
  readWindow,
  type WindowingOptions,
  type WindowPlacement,
  windowCount,
} from "./windowing.js";
