/**
 * @emgkit/emg-transforms: emg2qwerty's features and windows on typed arrays
 * (browser-safe, no tfjs).
 */
export { log10InPlace } from "./fast-log10.js";
export { MultichannelPowerFft } from "./multichannel-fft.js";
export { Random } from "./random.js";
export { checkSignal, type Signal } from "./signal.js";
export {
  LOG_FLOOR,
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
