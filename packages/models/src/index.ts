export { registerWasmConv2dBackpropFilter } from "./gradients/wasm-conv2d-backprop-filter.js";
export { registerWasmSharedIdentity } from "./gradients/wasm-shared-identity.js";
export { constantVariable, seedSequence, uniformVariable } from "./init.js";
export { registerWasmFastMatMul } from "./kernels/wasm-fast-matmul.js";
export { type CheckpointBlock, checkpoint, checkpointSequence } from "./layers/checkpoint.js";
export {
  createFrontEnd,
  type FrontEndBuffers,
  type FrontEndConfig,
  type FrontEndParams,
  frontEnd,
  frontEndFeatures,
} from "./layers/front-end.js";
export { createGru, gru } from "./layers/gru.js";
export { createLayerNorm, type LayerNormParams, layerNorm } from "./layers/layer-norm.js";
export { createLinear, type LinearParams, linear } from "./layers/linear.js";
export { createLstm, lstm } from "./layers/lstm.js";
export { type RecurrentConfig, recurrentOutputSize } from "./layers/recurrent-stack.js";
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
export { causalConv } from "./layers/tcn-causal-conv.js";
export {
  createTemporalConv,
  type TemporalConvParams,
  temporalConv,
} from "./layers/temporal-conv.js";
export type { EmgModel, ForwardOptions } from "./model.js";
export {
  type CnnModelConfig,
  type CnnModelParams,
  type ConvBlockParams,
  type ConvStackConfig,
  type ConvStackParams,
  convStack,
  convStackReceptiveField,
  createCnnModel,
  createConvStack,
  defaultCnnModelConfig,
} from "./models/cnn.js";
export {
  type CnnBiLstmModelConfig,
  type CnnBiLstmModelParams,
  createCnnBiLstmModel,
  defaultCnnBiLstmModelConfig,
} from "./models/cnn-bilstm.js";
export {
  createGruModel,
  defaultGruModelConfig,
  type GruModelConfig,
  type GruModelParams,
} from "./models/gru.js";
export {
  createLstmModel,
  defaultLstmModelConfig,
  type LstmModelConfig,
  type LstmModelParams,
} from "./models/lstm.js";
export { createModel, type ModelEntry, modelKinds, modelRegistry } from "./models/registry.js";
export { createTcn, defaultTcnConfig, type TcnConfig, tcnReceptiveField } from "./models/tcn.js";
export {
  createTds,
  defaultTdsConfig,
  type TdsBuffers,
  type TdsConfig,
  type TdsParams,
  tdsReceptiveField,
} from "./models/tds.js";
export {
  createTransformer,
  defaultTransformerConfig,
  type PositionEncoding,
  type TransformerConfig,
} from "./models/transformer.js";
export { type BufferTree, countParams, disposeTree, flatten, type ParamTree } from "./params.js";
export {
  concatFloat32,
  EmissionEngine,
  type EmissionTiming,
  emissionTiming,
  type InputFrames,
  isCausal,
  type StreamMode,
  streamMode,
  type WindowOptions,
} from "./streaming/emission-engine.js";
export type { WeightsManifest } from "./weights/manifest.js";
export {
  decodeSafetensors,
  encodeSafetensors,
  type HostTensor,
  WeightsFormatError,
} from "./weights/safetensors.js";
export {
  assignWeights,
  loadWeights,
  modelFromBlob,
  modelFromWeights,
  saveWeights,
  type WeightsBytes,
} from "./weights/weights.js";
