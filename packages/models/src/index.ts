export { registerWasmConv2dBackpropFilter } from "./gradients/wasm-conv2d-backprop-filter.js";
export { constantVariable, seedSequence, uniformVariable } from "./init.js";
export {
  createFrontEnd,
  type FrontEndBuffers,
  type FrontEndConfig,
  type FrontEndParams,
  frontEnd,
  frontEndFeatures,
} from "./layers/front-end.js";
export { createLayerNorm, type LayerNormParams, layerNorm } from "./layers/layer-norm.js";
export { createLinear, type LinearParams, linear } from "./layers/linear.js";
export {
  createRotationInvariantMLP,
  type RotationInvariantMLPOptions,
  type RotationInvariantMLPParams,
  roll,
  rotationInvariantMLP,
} from "./layers/rotation-invariant-mlp.js";
export {
  type BatchNormBuffers,
  type BatchNormOptions,
  type BatchNormParams,
  createBatchNorm,
  spectrogramNorm,
} from "./layers/spectrogram-norm.js";
export {
  createTemporalConv,
  type TemporalConvParams,
  temporalConv,
} from "./layers/temporal-conv.js";
export type { EmgModel, ForwardOptions } from "./model.js";
export { createModel, type ModelEntry, modelKinds, modelRegistry } from "./models/registry.js";
export {
  createTds,
  defaultTdsConfig,
  type TdsBuffers,
  type TdsConfig,
  type TdsParams,
  tdsReceptiveField,
} from "./models/tds.js";
export { type BufferTree, countParams, disposeTree, flatten, type ParamTree } from "./params.js";
