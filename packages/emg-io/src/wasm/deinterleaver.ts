import { CHANNELS_PER_BAND, NUM_BANDS } from "../session-types.js";
import { DEINTERLEAVE_WASM_BASE64 } from "./deinterleave-module.js";

/** Byte offsets of the fields within one timeseries row. */
export interface RowOffsets {
  time: number;
  emg_left: number;
  emg_right: number;
}

const EMG_ROW_BYTES = NUM_BANDS * CHANNELS_PER_BAND * 4;
const PAGE_BYTES = 65_536;

interface DeinterleaveExports {
  memory: WebAssembly.Memory;
  deinterleave(
    src: number,
    rows: number,
    rowBytes: number,
    timeOffset: number,
    leftOffset: number,
    rightOffset: number,
    timeOut: number,
    emgOut: number,
  ): void;
}

let shared: DeinterleaveExports | undefined;

function instance(): DeinterleaveExports {
  if (shared === undefined) {
    const bytes = Uint8Array.from(atob(DEINTERLEAVE_WASM_BASE64), (c) => c.charCodeAt(0));
    // 238 bytes: small enough to compile synchronously, also on a browser's main thread.
    shared = new WebAssembly.Instance(new WebAssembly.Module(bytes))
      .exports as unknown as DeinterleaveExports;
  }
  return shared;
}

/**
 * Splits little-endian timeseries rows into times (T,) and EMG (T, 2, 16),
 * band 0 = left, in a small WebAssembly module: about memcpy speed, where a
 * JavaScript loop over typed arrays is several times slower. Bit-exact.
 *
 * @param rows `count` rows of `rowBytes` bytes each
 * @param into arrays to fill (time (count,), EMG (count, 2, 16)) instead of new ones
 */
export function deinterleaveRows(
  rows: Uint8Array,
  count: number,
  rowBytes: number,
  offsets: RowOffsets,
  into?: { time: Float64Array; emg: Float32Array },
): { time: Float64Array; emg: Float32Array } {
  const wasm = instance();
  const inputBytes = count * rowBytes;
  const timeOut = Math.ceil(inputBytes / 8) * 8;
  const emgOut = timeOut + count * 8;
  const needed = emgOut + count * EMG_ROW_BYTES;
  const have = wasm.memory.buffer.byteLength;
  if (needed > have) wasm.memory.grow(Math.ceil((needed - have) / PAGE_BYTES));
  const memory = wasm.memory.buffer;
  new Uint8Array(memory, 0, inputBytes).set(rows.subarray(0, inputBytes));
  wasm.deinterleave(
    0,
    count,
    rowBytes,
    offsets.time,
    offsets.emg_left,
    offsets.emg_right,
    timeOut,
    emgOut,
  );
  const time = new Float64Array(memory, timeOut, count);
  const emg = new Float32Array(memory, emgOut, count * NUM_BANDS * CHANNELS_PER_BAND);
  if (into === undefined) return { time: time.slice(), emg: emg.slice() };
  into.time.set(time);
  into.emg.set(emg);
  return into;
}
