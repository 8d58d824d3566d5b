/**
 * A global heap collection: where HDF5 keeps the bytes of variable-length
 * values (here, the string attributes). One collection holds all of them.
 *
 * Collection, version 1:
 * | offset | size | field                                                |
 * |--------|------|------------------------------------------------------|
 * | 0      | 4    | signature "GCOL"                                     |
 * | 4      | 1    | version (1)                                          |
 * | 5      | 3    | reserved                                             |
 * | 8      | 8    | collection size, this header included                |
 * | 16     | …    | heap objects                                         |
 *
 * Heap object: index u16 (1, 2, …), reference count u16 (0, as the library
 * writes for attribute values), 4 reserved bytes, data size u64, then the data
 * zero-padded to a multiple of 8. The space left at the end is a free-space
 * object with index 0 whose size field counts its own 16-byte header.
 */
import { alignTo8, ByteWriter } from "./byte-writer.js";

/** The HDF5 library reads collections at least this large; smaller ones are padded with free space. */
const MIN_COLLECTION_SIZE = 4096;
const COLLECTION_HEADER_SIZE = 16;
const OBJECT_HEADER_SIZE = 16;
const MAX_OBJECTS = 0xffff;

export interface GlobalHeapCollection {
  bytes: Uint8Array;
  /** Heap object index of each value, in input order. */
  objectIndices: number[];
}

export function encodeGlobalHeap(values: readonly Uint8Array[]): GlobalHeapCollection {
  if (values.length > MAX_OBJECTS) throw new RangeError("too many global heap objects");
  const objectsSize = values.reduce(
    (total, value) => total + OBJECT_HEADER_SIZE + alignTo8(value.length),
    0,
  );
  let size = COLLECTION_HEADER_SIZE + objectsSize;
  // Free space shorter than an object header cannot be described; keep at least one header of it.
  size = Math.max(MIN_COLLECTION_SIZE, size + OBJECT_HEADER_SIZE);

  const out = new ByteWriter().ascii("GCOL").u8(1).zeros(3).u64(size);
  values.forEach((value, i) => {
    out
      .u16(i + 1)
      .u16(0)
      .zeros(4)
      .u64(value.length);
    out.raw(value).padTo8();
  });
  const freeSpace = size - out.position;
  out
    .u16(0)
    .u16(0)
    .zeros(4)
    .u64(freeSpace)
    .zeros(freeSpace - OBJECT_HEADER_SIZE);
  return {
    bytes: out.toBytes(),
    objectIndices: values.map((_, i) => i + 1),
  };
}

/**
 * A variable-length value as stored in a dataset or attribute (16 bytes):
 * element count u32 (bytes, for strings), collection address u64, object index u32.
 */
export function vlenReference(byteLength: number, collectionAddress: number, objectIndex: number) {
  return new ByteWriter().u32(byteLength).u64(collectionAddress).u32(objectIndex).toBytes();
}
