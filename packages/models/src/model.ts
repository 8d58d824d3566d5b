import type * as tf from "@tensorflow/tfjs-core";
import { registerWasmSharedIdentity } from "./gradients/wasm-shared-identity.js";
import { registerWasmFastMatMul } from "./kernels/wasm-fast-matmul.js";
import { type BufferTree, disposeTree, type ParamTree } from "./params.js";

/** Train or eval mode, as PyTorch's `module.train()` / `module.eval()`. */
export interface ForwardOptions {
  /** BatchNorm uses batch statistics and updates its running ones; dropout is active. */
  training: boolean;
}

/**
 * A CTC model: inputs are emg2qwerty's spectrogram batches, time first,
 * (T, N, bands=2, channels=16, freq=33) by default (`electrodeChannels` and
 * `inFeatures` in a model's config set other channels and freq); outputs are log-probabilities
 * (T_out, N, numClasses=99), blank 98.
 */
export interface EmgModel<Config = unknown> {
  /** Architecture name (`"tds"`, `"lstm"`, ...), and its full config, as saved with the weights. */
  readonly kind: string;
  readonly config: Config;
  readonly params: ParamTree;
  /** Non-trainable state (BatchNorm running mean/var, batches seen). */
  readonly buffers: BufferTree;
  /** (T, N, 2, electrodeChannels, F) -> (T_out, N, C) log-probabilities. */
  forward(inputs: tf.Tensor, options: ForwardOptions): tf.Tensor;
  /** Output frames for `inputFrames` input frames (T_out = T_in - receptiveField + 1 for valid convolutions). */
  outputLength(inputFrames: number): number;
  /** Input frames that one output frame sees (1 for purely frame-wise models, Infinity for bidirectional ones). */
  readonly receptiveField: number;
  /** Frees every tensor. */
  dispose(): void;
}

/**
 * An `EmgModel` from its parts, whose `dispose` frees its parameters and buffers
 * and whose `forward` first makes wasm's clones share memory (see `registerWasmSharedIdentity`)
 * and its transposed and batched matMuls fast (see `registerWasmFastMatMul`).
 */
export function assembleModel<Config>(parts: Omit<EmgModel<Config>, "dispose">): EmgModel<Config> {
  return {
    ...parts,
    forward: (inputs, options) => {
      registerWasmSharedIdentity();
      registerWasmFastMatMul();
      return parts.forward(inputs, options);
    },
    dispose: () => {
      disposeTree(parts.params);
      disposeTree(parts.buffers);
    },
  };
}
