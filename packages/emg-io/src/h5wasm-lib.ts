import type { File as H5File } from "h5wasm";
import { EmgIoError } from "./errors.js";

/** The part of h5wasm's emscripten module that the raw read path uses. */
export interface H5RawModule {
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  readonly HEAPU8: Uint8Array;
  /** Reads a hyperslab of a dataset in its native memory type into `pointer`. */
  get_dataset_data(
    fileId: bigint,
    path: string,
    count: bigint[] | null,
    offset: bigint[] | null,
    strides: bigint[] | null,
    pointer: bigint,
  ): number;
  /** Makes HDF5 errors throw (with their stack as text) instead of printing to stderr. */
  activate_throwing_error_handler(): number;
}

/**
 * What a session needs from an h5wasm build: its `File` class and its module.
 * Node uses `h5wasm/node` (reads from disk on demand), browsers `h5wasm`.
 */
export interface H5Lib {
  File: new (path: string, mode: "r") => H5File;
  Module: H5RawModule;
}

const prepared = new WeakSet<H5RawModule>();

/**
 * Opens a file read-only with HDF5 errors turned into one-line `EmgIoError`s
 * rather than stacks printed on stderr.
 */
export function openH5File(lib: H5Lib, path: string, source: string): H5File {
  if (!prepared.has(lib.Module)) {
    lib.Module.activate_throwing_error_handler();
    prepared.add(lib.Module);
  }
  try {
    return new lib.File(path, "r");
  } catch (error) {
    throw new EmgIoError(source, `cannot open: ${hdf5ErrorSummary(error)}`);
  }
}

/**
 * The useful line of an HDF5 error stack (its innermost "in func(): message"),
 * so errors stay on one line.
 */
export function hdf5ErrorSummary(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const frames = [...text.matchAll(/ in ([\w.]+)\(\): ([^\n]+)/g)];
  const innermost = frames.at(-1);
  return innermost
    ? `${innermost[2]?.trim()} (HDF5 ${innermost[1]})`
    : (text.split("\n")[0] ?? text);
}
