export {
  type BeamHypothesis,
  CTCBeamDecoder,
  type CTCBeamDecoderOptions,
} from "./beam.js";
export { type CTCDecoder, decodeEachItem } from "./decoder.js";
export type { EmissionMatrix } from "./emissions.js";
export {
  CTCGreedyDecoder,
  type GreedyDecodeOptions,
  greedyDecode,
  greedyDecodeBatch,
  type LabelSequence,
} from "./greedy.js";
