import type { File as H5File } from "h5wasm";

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
}

/**
 * What a session needs from an h5wasm build: its `File` class and its module.
 * Node uses `h5wasm/node` (reads from disk on demand), browsers `h5wasm`.
 */
export interface H5Lib {
  File: new (path: string, mode: "r") => H5File;
  Module: H5RawModule;
}

/**
 * The useful line of an HDF5 error stack (its innermost "in func(): message"),
 * so errors stay on one line.
 */
export function hdf5ErrorSummary(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const frames = [...text.matchAll(/ in ([\w.]+)\(\): ([^\n]+)/g)];
  const innermost = frames.at(-1);
  return innermost ? `${innermost[2]?.trim()} (HDF5 ${innermost[1]})` : text.split("\n")[0] ?? text;
}
