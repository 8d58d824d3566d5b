/**
 * A unidirectional LSTM or GRU model (`@emgkit/models` lstm / gru with `bidirectional: false`)
 * run step by step with its state carried between calls, so a stream of chunks gives the
 * emissions `model.forward` gives the whole sequence (zero initial state, PyTorch's equations).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { FrontEndParams } from "../layers/front-end.js";
import type { EmgModel } from "../model.js";
import { frontEndParts, WeightCache } from "./weight-cache.js";

type LayerWeights = {
  /** (I, G·H), transposed once. */
  inputT: tf.Tensor2D;
  /** (H, G·H). */
  hiddenT: tf.Tensor2D;
  /** Added to the input projection: b_ih + b_hh (LSTM) or b_ih (GRU). */
  inputBias: tf.Tensor1D;
  /** GRU only: b_hh, inside the reset product. */
  hiddenBias: tf.Tensor1D | null;
};

interface RecurrentConfigLike {
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
}

type ModelParts = {
  model: FrontEndParams;
  classifier: { weight: tf.Tensor; bias: tf.Tensor };
} & Record<string, Record<string, tf.Tensor>>;

/** Whether `model` is an LSTM or GRU model this class can step (unidirectional). */
export function isSteppableRecurrent(model: EmgModel): boolean {
  return (
    (model.kind === "lstm" || model.kind === "gru") &&
    !(model.config as RecurrentConfigLike).bidirectional
  );
}

export class RecurrentState {
  private readonly cell: "lstm" | "gru";
  private readonly hiddenSize: number;
  private readonly layers: LayerWeights[];
  /** Per layer: hidden (1, H) and, for the LSTM, cell (1, H); null before the first step. */
  private hidden: tf.Tensor2D[] | null = null;
  private cellState: tf.Tensor2D[] | null = null;
  private readonly weights = new WeightCache();

  constructor(private readonly model: EmgModel) {
    if (!isSteppableRecurrent(model)) {
      throw new Error(`a ${model.kind} model is not a unidirectional LSTM or GRU`);
    }
    this.cell = model.kind as "lstm" | "gru";
    const config = model.config as RecurrentConfigLike;
    this.hiddenSize = config.hiddenSize;
    const params = (model.params as unknown as ModelParts)[this.cell] as Record<string, tf.Tensor>;
    const get = (name: string, layer: number): tf.Tensor => {
      const value = params[`${name}_l${layer}`];
      if (value === undefined) throw new Error(`recurrent parameter ${name}_l${layer} is missing`);
      return value;
    };
    // Kept: they must outlive any tidy the constructor is called in.
    const keep = <T extends tf.Tensor>(make: () => T): T => tf.keep(tf.tidy(make));
    this.layers = Array.from({ length: config.numLayers }, (_, layer) => {
      const biasIh = get("bias_ih", layer);
      const biasHh = get("bias_hh", layer);
      return {
        inputT: keep(() => tf.transpose(get("weight_ih", layer)) as tf.Tensor2D),
        hiddenT: keep(() => tf.transpose(get("weight_hh", layer)) as tf.Tensor2D),
        inputBias: keep(
          () => (this.cell === "lstm" ? tf.add(biasIh, biasHh) : tf.clone(biasIh)) as tf.Tensor1D,
        ),
        hiddenBias: this.cell === "gru" ? keep(() => tf.clone(biasHh) as tf.Tensor1D) : null,
      };
    });
  }

  /** The next T frames, band by band (T, k · F) -> (T, classes) log-probabilities. */
  step(bands: tf.Tensor2D[]): tf.Tensor2D {
    const parts = this.model.params as unknown as ModelParts;
    const { front, buffers } = frontEndParts(this.model);
    const w = this.weights;
    const frames = (bands[0] as tf.Tensor2D).shape[0];
    if (frames === 0) return tf.zeros([0, parts.classifier.weight.shape[0] as number]);
    const H = this.hiddenSize;
    const previousHidden = this.hidden;
    const previousCell = this.cellState;
    const result = tf.tidy(() => {
      const features = w.frontEnd(front, buffers, bands);
      let x = tf.reshape(features, [frames, -1]) as tf.Tensor2D;
      const hidden: tf.Tensor2D[] = [];
      const cells: tf.Tensor2D[] = [];
      this.layers.forEach((weights, layer) => {
        const projected = tf.add(tf.matMul(x, weights.inputT), weights.inputBias) as tf.Tensor2D;
        let h = previousHidden?.[layer] ?? (tf.zeros([1, H]) as tf.Tensor2D);
        let c = previousCell?.[layer] ?? (tf.zeros([1, H]) as tf.Tensor2D);
        const outputs: tf.Tensor2D[] = [];
        const rows = tf.unstack(projected);
        for (const row of rows) {
          if (this.cell === "lstm") {
            // One sigmoid over all gates (g's is unused), as the model does. (Not a fused matMul
            // with x_t as bias: the wasm kernel reads the rank of the tensor the row was cut from.)
            const gates = tf.add(row, tf.matMul(h, weights.hiddenT));
            const [i, f, , o] = tf.split(tf.sigmoid(gates), 4, 1) as tf.Tensor[];
            const g = tf.tanh(tf.slice(gates, [0, 2 * H], [1, H]));
            c = tf.add(tf.mul(f as tf.Tensor, c), tf.mul(i as tf.Tensor, g)) as tf.Tensor2D;
            h = tf.mul(o as tf.Tensor, tf.tanh(c)) as tf.Tensor2D;
          } else {
            const recurrent = tf.fused.matMul({
              a: h,
              b: weights.hiddenT,
              bias: weights.hiddenBias as tf.Tensor,
            });
            const [xr, xz, xn] = tf.split(row, 3, 0) as [tf.Tensor, tf.Tensor, tf.Tensor];
            const [hr, hz, hn] = tf.split(recurrent, 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
            const r = tf.sigmoid(tf.add(xr, hr));
            const z = tf.sigmoid(tf.add(xz, hz));
            const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
            h = tf.add(n, tf.mul(z, tf.sub(h, n))) as tf.Tensor2D;
          }
          outputs.push(h);
        }
        hidden.push(h);
        if (this.cell === "lstm") cells.push(c);
        x = tf.concat(outputs, 0) as tf.Tensor2D;
      });
      const emissions = tf.logSoftmax(w.linear(parts.classifier, x), -1) as tf.Tensor2D;
      return { emissions, hidden, cells };
    });
    for (const tensor of [...(previousHidden ?? []), ...(previousCell ?? [])]) tensor.dispose();
    // Kept: the state must outlive a tidy the caller may run this step in.
    for (const tensor of [...result.hidden, ...result.cells]) tf.keep(tensor);
    this.hidden = result.hidden;
    this.cellState = result.cells;
    return result.emissions;
  }

  /** Back to the zero state. */
  reset(): void {
    for (const tensor of [...(this.hidden ?? []), ...(this.cellState ?? [])]) tensor.dispose();
    this.hidden = null;
    this.cellState = null;
  }

  /** Frees the state and the transposed weights (not the model). */
  dispose(): void {
    this.reset();
    this.weights.dispose();
    for (const weights of this.layers) {
      for (const tensor of Object.values(weights)) tensor?.dispose();
    }
  }
}
