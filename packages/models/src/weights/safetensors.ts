/**
 * The safetensors format (https://github.com/huggingface/safetensors): an
 * 8-byte little-endian header length, a JSON header
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}`
 * padded with spaces, then the raw little-endian tensor data, offsets relative
 * to its start. Written by us as F32 only; read as F32, and I64 as float32
 * (PyTorch's BatchNorm `num_batches_tracked`).
 */

/** A float32 tensor, row-major, with its shape. */
export interface HostTensor {
  shape: number[];
  data: Float32Array;
}

/** A file that is not valid safetensors, or does not fit the model it is loaded into. */
export class WeightsFormatError extends Error {
  override name = "WeightsFormatError";
}

const HEADER_LENGTH_BYTES = 8;
/** The reference implementation refuses larger headers too (100 MB). */
const MAX_HEADER_BYTES = 100_000_000;
const BYTES_PER_ELEMENT: Record<string, number> = { F32: 4, I64: 8 };

/** Elements of a tensor of `shape`. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((count, size) => count * size, 1);
}

/** Encodes tensors (in the given order, contiguous) and string metadata. */
export function encodeSafetensors(
  tensors: ReadonlyArray<readonly [string, HostTensor]>,
  metadata: Record<string, string>,
): Uint8Array<ArrayBuffer> {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let dataBytes = 0;
  for (const [name, { shape, data }] of tensors) {
    if (name in header) throw new WeightsFormatError(`duplicate tensor name "${name}"`);
    if (data.length !== elementCount(shape)) {
      throw new WeightsFormatError(
        `tensor "${name}" has ${data.length} values for shape [${shape}]`,
      );
    }
    header[name] = {
      dtype: "F32",
      shape,
      data_offsets: [dataBytes, dataBytes + data.byteLength],
    };
    dataBytes += data.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  // Pad with spaces so that the data starts 8-byte aligned, as the reference writer does.
  const headerBytes = Math.ceil(json.length / 8) * 8;
  const bytes = new Uint8Array(HEADER_LENGTH_BYTES + headerBytes + dataBytes);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(headerBytes), true);
  bytes.set(json, HEADER_LENGTH_BYTES);
  bytes.fill(0x20, HEADER_LENGTH_BYTES + json.length, HEADER_LENGTH_BYTES + headerBytes);
  let offset = HEADER_LENGTH_BYTES + headerBytes;
  for (const [, { data }] of tensors) {
    // Typed arrays use the platform's byte order, little-endian wherever JavaScript runs.
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
    offset += data.byteLength;
  }
  return bytes;
}

/** Decodes a safetensors file; throws a one-line `WeightsFormatError` on anything malformed. */
export function decodeSafetensors(bytes: Uint8Array): {
  metadata: Record<string, string>;
  tensors: Map<string, HostTensor>;
} {
  if (bytes.length < HEADER_LENGTH_BYTES) {
    throw new WeightsFormatError(`file of ${bytes.length} bytes is too short for a header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = Number(view.getBigUint64(0, true));
  if (headerBytes > Math.min(MAX_HEADER_BYTES, bytes.length - HEADER_LENGTH_BYTES)) {
    throw new WeightsFormatError(
      `header length ${headerBytes} does not fit a file of ${bytes.length} bytes`,
    );
  }
  const header = parseHeader(
    bytes.subarray(HEADER_LENGTH_BYTES, HEADER_LENGTH_BYTES + headerBytes),
  );
  const dataStart = HEADER_LENGTH_BYTES + headerBytes;
  const dataLength = bytes.length - dataStart;
  const metadata = readMetadata(header.__metadata__);
  const tensors = new Map<string, HostTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const { dtype, shape, begin, end } = readEntry(name, entry);
    const width = BYTES_PER_ELEMENT[dtype];
    if (width === undefined) {
      throw new WeightsFormatError(`tensor "${name}" has dtype ${dtype}; only F32 (and I64) load`);
    }
    if (end > dataLength || begin > end) {
      throw new WeightsFormatError(
        `tensor "${name}" data offsets [${begin}, ${end}] fall outside ${dataLength} data bytes`,
      );
    }
    if (end - begin !== elementCount(shape) * width) {
      throw new WeightsFormatError(
        `tensor "${name}" spans ${end - begin} bytes, not ${dtype} [${shape}]`,
      );
    }
    // A copy: the file's bytes need not be aligned for a typed-array view. Uint8Array's own
    // slice, since a Node Buffer's `slice` is a view into its (pooled) memory.
    const raw = Uint8Array.prototype.slice.call(bytes, dataStart + begin, dataStart + end).buffer;
    const data =
      dtype === "F32" ? new Float32Array(raw) : Float32Array.from(new BigInt64Array(raw), Number);
    tensors.set(name, { shape, data });
  }
  return { metadata, tensors };
}

function parseHeader(json: Uint8Array): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json));
  } catch (error) {
    throw new WeightsFormatError(`header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw new WeightsFormatError("header is not a JSON object");
  }
  return header as Record<string, unknown>;
}

function readMetadata(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (
    typeof value !== "object" ||
    value === null ||
    Object.values(value).some((entry) => typeof entry !== "string")
  ) {
    throw new WeightsFormatError("__metadata__ is not an object of strings");
  }
  return value as Record<string, string>;
}

function readEntry(name: string, entry: unknown) {
  const { dtype, shape, data_offsets: offsets } = (entry ?? {}) as Record<string, unknown>;
  const isCount = (value: unknown): value is number =>
    Number.isSafeInteger(value) && (value as number) >= 0;
  if (
    typeof dtype !== "string" ||
    !Array.isArray(shape) ||
    !shape.every(isCount) ||
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every(isCount)
  ) {
    throw new WeightsFormatError(`tensor "${name}" lacks a valid dtype, shape or data_offsets`);
  }
  return {
    dtype,
    shape: shape as number[],
    begin: offsets[0] as number,
    end: offsets[1] as number,
  };
}
