import { SPECTROGRAM_WASM_BASE64 } from "./spectrogram-module.js";

interface KernelExports {
  memory: WebAssembly.Memory;
  setup(...pointers: number[]): void;
  /** Returns 1 when a sample was NaN or infinite (the output is then not usable). */
  spectrogram(
    input: number,
    channels: number,
    frames: number,
    nFft: number,
    hop: number,
    pairs: number,
    out: number,
  ): number;
}

const PAGE_BYTES = 65_536;
/** Frames per kernel call: bounds the wasm memory for whole-session inputs. */
const FRAMES_PER_CALL = 4096;

let compiled: WebAssembly.Module | undefined;

function kernelModule(): WebAssembly.Module {
  if (compiled === undefined) {
    const bytes = Uint8Array.from(atob(SPECTROGRAM_WASM_BASE64), (c) => c.charCodeAt(0));
    compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/**
 * The log-spectrogram kernel (src/wasm/spectrogram.wat) for one FFT size,
 * window and channel count: windowing, a float32 radix-2 FFT over channel pairs
 * with SIMD, power, a SIMD log10(x + 1e-6), float32 out. Its memory holds the tables, the
 * FFT scratch, and one block of input rows and output frames at a time.
 */
export class WasmSpectrogramKernel {
  private readonly kernel: KernelExports;
  private readonly pairs: number;
  private readonly ioStart: number;

  constructor(
    private readonly nFft: number,
    private readonly channels: number,
    window: Float64Array,
  ) {
    this.kernel = new WebAssembly.Instance(kernelModule()).exports as unknown as KernelExports;
    // Pairs of channels, rounded up to whole SIMD vectors of four float32 pairs.
    this.pairs = Math.ceil(Math.ceil(channels / 2) / 4) * 4;
    const layout: Array<[string, number]> = [
      ["window", nFft * 4],
      ["bitReversed", nFft * 4],
      ["cos", (nFft / 2) * 4],
      ["sin", (nFft / 2) * 4],
      ["re", nFft * this.pairs * 4],
      ["im", nFft * this.pairs * 4],
    ];
    const at: Record<string, number> = {};
    let offset = 0;
    for (const [name, bytes] of layout) {
      at[name] = offset;
      offset = align16(offset + bytes);
    }
    this.ioStart = offset;
    this.ensureMemory(offset);
    const memory = this.kernel.memory.buffer;
    const bits = Math.log2(nFft);
    new Float32Array(memory, at.window, nFft).set(window);
    new Int32Array(memory, at.bitReversed, nFft).set(
      Array.from({ length: nFft }, (_, n) => {
        let reversed = 0;
        for (let b = 0; b < bits; b++) reversed |= ((n >> b) & 1) << (bits - 1 - b);
        return reversed;
      }),
    );
    new Float32Array(memory, at.cos, nFft / 2).set(
      Array.from({ length: nFft / 2 }, (_, j) => Math.cos((2 * Math.PI * j) / nFft)),
    );
    new Float32Array(memory, at.sin, nFft / 2).set(
      Array.from({ length: nFft / 2 }, (_, j) => -Math.sin((2 * Math.PI * j) / nFft)),
    );
    const pointer = (name: string) => at[name] as number;
    this.kernel.setup(
      pointer("window"),
      pointer("bitReversed"),
      pointer("cos"),
      pointer("sin"),
      pointer("re"),
      pointer("im") - pointer("re"),
    );
  }

  /**
   * log10(|STFT|^2 + 1e-6) of `frames` frames, hop `hop`, of a row-major (T, C)
   * signal, written row-major (frames, C, nFft / 2 + 1) to `out`. Returns false
   * when a sample is NaN or infinite: paired channels then spill into each other,
   * so the caller must redo the work unpaired.
   */
  run(data: Float32Array, frames: number, hop: number, out: Float32Array): boolean {
    const { nFft, channels } = this;
    const freqs = nFft / 2 + 1;
    let finite = true;
    for (let first = 0; first < frames; first += FRAMES_PER_CALL) {
      const count = Math.min(FRAMES_PER_CALL, frames - first);
      const rows = (count - 1) * hop + nFft;
      const inputBytes = align16(rows * channels * 4);
      const outputAt = this.ioStart + inputBytes;
      this.ensureMemory(outputAt + count * channels * freqs * 4);
      const memory = this.kernel.memory.buffer;
      const start = first * hop * channels;
      new Float32Array(memory, this.ioStart, rows * channels).set(
        data.subarray(start, start + rows * channels),
      );
      const nonFinite = this.kernel.spectrogram(
        this.ioStart,
        channels,
        count,
        nFft,
        hop,
        this.pairs,
        outputAt,
      );
      if (nonFinite !== 0) finite = false;
      out.set(
        new Float32Array(memory, outputAt, count * channels * freqs),
        first * channels * freqs,
      );
    }
    return finite;
  }

  private ensureMemory(bytes: number): void {
    const have = this.kernel.memory.buffer.byteLength;
    if (bytes > have) this.kernel.memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
  }
}
