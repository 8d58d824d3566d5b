import * as tf from "@tensorflow/tfjs-core";

/**
 * tfjs-backend-wasm 4.22 has no `Conv2DBackpropFilter` kernel, so `tf.grad`
 * through `tf.conv2d` fails there. This registers one, composed from kernels
 * wasm has: dW[kh, kw] = x_tap(kh, kw)^T · dy, one matrix product per filter
 * tap over the (N · outHeight · outWidth) positions, where x_tap is the
 * (strided) slice of the zero-padded input that the tap sees.
 *
 * Why this and not the alternatives (measured on wasm, 2-core machine, TDS
 * block shape x (1, 200, 256, 24), filter (32, 1, 24, 24), 1.6 GFLOP):
 * - per-tap matMul (this): 0.83 s, one input-sized slice alive at a time;
 * - wasm's native `Conv3DBackpropFilterV2` on a depth-1 view: 1.40 s;
 * - unfolding K time-shifted slices into a matMul (forward + backward through
 *   slice/concat): 5.9 s and K times the input's memory.
 * Registering the kernel also makes plain `tf.conv2d` trainable on wasm for
 * every model, not only ours. Dilations above 1 stay unsupported in tfjs'
 * conv2d gradient on every backend.
 */
export function registerWasmConv2dBackpropFilter(): void {
  if (tf.getKernel(tf.Conv2DBackpropFilter, "wasm") !== undefined) return;
  tf.registerKernel({
    kernelName: tf.Conv2DBackpropFilter,
    backendName: "wasm",
    kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
  });
}

interface BackpropFilterArgs {
  inputs: { x: tf.TensorInfo; dy: tf.TensorInfo };
  backend: tf.KernelBackend;
  attrs: tf.Conv2DBackpropFilterAttrs;
}

function conv2dBackpropFilter({ inputs, backend, attrs }: BackpropFilterArgs): tf.TensorInfo {
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (dataFormat !== "NHWC") throw new Error(`Conv2DBackpropFilter on wasm: ${dataFormat} input`);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const run = (name: string, kernelInputs: object, kernelAttrs: object): tf.TensorInfo => {
    const kernel = tf.getKernel(name, "wasm");
    if (kernel === undefined) throw new Error(`wasm backend lacks the ${name} kernel`);
    return kernel.kernelFunc({
      inputs: kernelInputs as tf.NamedTensorInfoMap,
      backend,
      attrs: kernelAttrs as tf.NamedAttrMap,
    }) as tf.TensorInfo;
  };
  const dispose = (t: tf.TensorInfo) => backend.disposeData(t.dataId);
  /** Same buffer, another shape: both kernels used here read row-major data by dataId. */
  const view = (t: tf.TensorInfo, shape: number[]): tf.TensorInfo => ({ ...t, shape });

  const { top, bottom, left, right } = info.padInfo;
  const padded =
    top + bottom + left + right === 0
      ? x
      : run(
          tf.PadV2,
          { x },
          {
            paddings: [
              [0, 0],
              [top, bottom],
              [left, right],
              [0, 0],
            ],
            constantValue: 0,
          },
        );
  const positions = info.batchSize * info.outHeight * info.outWidth;
  const dyMatrix = view(dy, [1, positions, info.outChannels]);
  const taps: tf.TensorInfo[] = [];
  for (let kh = 0; kh < info.filterHeight; kh++) {
    for (let kw = 0; kw < info.filterWidth; kw++) {
      const tap = run(
        tf.StridedSlice,
        { x: padded },
        {
          begin: [0, kh, kw, 0],
          end: [
            info.batchSize,
            kh + (info.outHeight - 1) * info.strideHeight + 1,
            kw + (info.outWidth - 1) * info.strideWidth + 1,
            info.inChannels,
          ],
          strides: [1, info.strideHeight, info.strideWidth, 1],
          beginMask: 0,
          endMask: 0,
          ellipsisMask: 0,
          newAxisMask: 0,
          shrinkAxisMask: 0,
        },
      );
      taps.push(
        run(
          tf.BatchMatMul,
          { a: view(tap, [1, positions, info.inChannels]), b: dyMatrix },
          { transposeA: true, transposeB: false },
        ),
      );
      dispose(tap);
    }
  }
  const dw = run(tf.Concat, taps, { axis: 0 });
  for (const tap of taps) dispose(tap);
  if (padded !== x) dispose(padded);
  return view(dw, filterShape);
}
