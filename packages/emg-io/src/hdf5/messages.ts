/**
 * Object-header message bodies other than datatypes (see `datatypes.ts`) and
 * the header framing (see `object-header.ts`). Sizes and offsets are in bytes;
 * addresses and lengths are 8 bytes wide.
 */
import { ByteWriter, UNDEFINED_ADDRESS } from "./byte-writer.js";

export const MessageType = {
  dataspace: 0x0001,
  linkInfo: 0x0002,
  datatype: 0x0003,
  fillValue: 0x0005,
  link: 0x0006,
  dataLayout: 0x0008,
  groupInfo: 0x000a,
  attribute: 0x000c,
} as const;

/**
 * Dataspace, version 1: version u8 (1), rank u8, flags u8 (0: no maximum
 * dimensions, so they equal the current ones), 5 reserved bytes, then each
 * dimension as u64. Rank 0 is a scalar.
 */
export function dataspaceMessage(dims: readonly number[]): Uint8Array {
  const out = new ByteWriter().u8(1).u8(dims.length).u8(0).zeros(5);
  for (const dim of dims) out.u64(dim);
  return out.toBytes();
}

/**
 * Fill value, version 2: version u8 (2), allocation time u8 (3, incremental,
 * the library's choice for chunked data), fill write time u8 (2, only if set),
 * fill defined u8 (1), fill size u32 (0: the library default, zeros).
 */
export function fillValueMessage(): Uint8Array {
  return new ByteWriter().u8(2).u8(3).u8(2).u8(1).u32(0).toBytes();
}

/**
 * Data layout, version 3, chunked class (2): version u8 (3), class u8 (2),
 * dimensionality u8 (dataset rank + 1), chunk B-tree address u64, then each
 * chunk dimension as u32, the last one being the element size in bytes.
 */
export function chunkedLayoutMessage(
  btreeAddress: number,
  chunkDims: readonly number[],
  elementSize: number,
): Uint8Array {
  const out = new ByteWriter()
    .u8(3)
    .u8(2)
    .u8(chunkDims.length + 1)
    .u64(btreeAddress);
  for (const dim of chunkDims) out.u32(dim);
  return out.u32(elementSize).toBytes();
}

/**
 * Link info, version 0, for a group whose links are stored compactly as link
 * messages in its own header: version u8 (0), flags u8 (0: creation order not
 * tracked), fractal heap address u64 (undefined), name index B-tree address
 * u64 (undefined).
 */
export function linkInfoMessage(): Uint8Array {
  return new ByteWriter().u8(0).u8(0).u64(UNDEFINED_ADDRESS).u64(UNDEFINED_ADDRESS).toBytes();
}

/** Group info, version 0, flags 0: the library's default link-storage thresholds. */
export function groupInfoMessage(): Uint8Array {
  return new ByteWriter().u8(0).u8(0).toBytes();
}

/**
 * Link, version 1, a hard link with an ASCII name shorter than 256 bytes:
 * version u8 (1), flags u8 (0: 1-byte name length, no creation order, hard
 * link, ASCII), name length u8, the name (no terminator), object header address u64.
 */
export function hardLinkMessage(name: string, objectAddress: number): Uint8Array {
  if (!/^[\x20-\x7e]{1,255}$/.test(name)) throw new RangeError(`unsupported link name ${name}`);
  return new ByteWriter().u8(1).u8(0).u8(name.length).ascii(name).u64(objectAddress).toBytes();
}

/**
 * Attribute, version 1: version u8 (1), reserved u8, name size u16 (with the
 * terminator), datatype size u16, dataspace size u16, then the name,
 * datatype and dataspace, each zero-padded to a multiple of 8 bytes (the size
 * fields exclude that padding), then the raw value.
 */
export function attributeMessage(
  name: string,
  datatype: Uint8Array,
  dataspace: Uint8Array,
  value: Uint8Array,
): Uint8Array {
  const out = new ByteWriter().u8(1).u8(0);
  out
    .u16(name.length + 1)
    .u16(datatype.length)
    .u16(dataspace.length);
  out.ascii(name).u8(0).padTo8();
  out.raw(datatype).padTo8();
  out.raw(dataspace).padTo8();
  return out.raw(value).toBytes();
}
