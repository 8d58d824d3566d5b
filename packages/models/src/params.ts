import * as tf from "@tensorflow/tfjs-core";

/**
 * A model's trainable parameters as a tree of named tfjs variables, so that
 * dotted paths equal PyTorch's `state_dict` keys (e.g.
 * `model.2.conv2d_block.conv2d.weight`), which is what weight files and the
 * PyTorch parity scripts match on.
 */
export interface ParamTree {
  [name: string]: tf.Variable | ParamTree;
}

/** Non-trainable state (BatchNorm running statistics), same naming as `ParamTree`. */
export interface BufferTree {
  [name: string]: tf.Tensor | BufferTree;
}

/** Every leaf of a tree with its dotted path, in insertion order. */
export function flatten<T extends tf.Tensor>(
  tree: { [name: string]: T | object },
  prefix = "",
): Array<[string, T]> {
  const out: Array<[string, T]> = [];
  for (const [name, value] of Object.entries(tree)) {
    const path = prefix === "" ? name : `${prefix}.${name}`;
    if (value instanceof tf.Tensor) out.push([path, value as T]);
    else out.push(...flatten(value as { [name: string]: T | object }, path));
  }
  return out;
}

/** Number of scalar parameters in a tree. */
export function countParams(tree: ParamTree): number {
  return flatten(tree).reduce((total, [, variable]) => total + variable.size, 0);
}

/** Disposes every tensor of a tree. */
export function disposeTree(tree: ParamTree | BufferTree): void {
  for (const [, tensor] of flatten(tree as { [name: string]: tf.Tensor | object }))
    tensor.dispose();
}
