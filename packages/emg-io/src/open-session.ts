import { type H5Lib, openH5File } from "./h5wasm-lib.js";
import { checkHdf5Header, HDF5_HEADER_BYTES } from "./hdf5-header.js";
import { Session } from "./session.js";

/** Session bytes in memory: a browser `File`/`Blob`, an `ArrayBuffer` or a `Uint8Array`. */
export type SessionBytes = Blob | ArrayBuffer | Uint8Array;

let nextId = 0;

/**
 * Opens an emg2qwerty session held in memory (browser `File`, `Blob` or
 * bytes). The bytes are copied into h5wasm's in-memory file system, released
 * by `close()`; reads then decode windows on demand.
 *
 * @param name the file name used in error messages (a `File`'s own name by default)
 */
export async function openSessionBytes(source: SessionBytes, name?: string): Promise<Session> {
  const label =
    name ?? (typeof File !== "undefined" && source instanceof File ? source.name : "session");
  const bytes =
    source instanceof Uint8Array
      ? source
      : new Uint8Array(source instanceof ArrayBuffer ? source : await source.arrayBuffer());
  checkHdf5Header(bytes.subarray(0, HDF5_HEADER_BYTES), bytes.length, label);
  const h5 = await import("h5wasm");
  await h5.ready;
  const fs = h5.FS as {
    writeFile(path: string, data: Uint8Array): void;
    unlink(path: string): void;
  };
  const path = `/emgkit-session-${nextId++}.hdf5`;
  fs.writeFile(path, bytes);
  const lib: H5Lib = { File: h5.File, Module: h5.Module };
  let file: ReturnType<typeof openH5File>;
  try {
    file = openH5File(lib, path, label);
  } catch (error) {
    fs.unlink(path);
    throw error;
  }
  return new Session(lib, file, label, () => fs.unlink(path));
}
