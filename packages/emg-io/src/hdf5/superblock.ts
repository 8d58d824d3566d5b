/**
 * Superblock version 0 (96 bytes), readable by every HDF5 library; it carries no
 * checksum. Offsets and lengths are declared 8 bytes wide.
 *
 * | offset | size | field                                                    |
 * |--------|------|----------------------------------------------------------|
 * | 0      | 8    | signature \x89 H D F \r \n \x1a \n                       |
 * | 8      | 1    | superblock version (0)                                   |
 * | 9      | 1    | free-space storage version (0)                           |
 * | 10     | 1    | root group symbol table entry version (0)                |
 * | 11     | 1    | reserved                                                 |
 * | 12     | 1    | shared header message format version (0)                 |
 * | 13     | 1    | size of offsets (8)                                      |
 * | 14     | 1    | size of lengths (8)                                      |
 * | 15     | 1    | reserved                                                 |
 * | 16     | 2    | group leaf node K (4, library default; unused here)      |
 * | 18     | 2    | group internal node K (16, library default; unused here) |
 * | 20     | 4    | file consistency flags (0)                               |
 * | 24     | 8    | base address (0)                                         |
 * | 32     | 8    | free-space info address (undefined)                      |
 * | 40     | 8    | end-of-file address (the file size)                      |
 * | 48     | 8    | driver information block address (undefined)            |
 * | 56     | 40   | root group symbol table entry                            |
 *
 * Root group symbol table entry: link name offset u64 (0), object header
 * address u64, cache type u32 (0: nothing cached, so readers look in the
 * object header, where the links are), reserved u32, 16-byte scratch pad (zeros).
 */
import { ByteWriter, UNDEFINED_ADDRESS } from "./byte-writer.js";

export const SUPERBLOCK_SIZE = 96;

const SIGNATURE = new Uint8Array([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

export function encodeSuperblock(rootObjectHeaderAddress: number, endOfFile: number): Uint8Array {
  const out = new ByteWriter().raw(SIGNATURE);
  out.u8(0).u8(0).u8(0).u8(0).u8(0).u8(8).u8(8).u8(0);
  out.u16(4).u16(16).u32(0);
  out.u64(0).u64(UNDEFINED_ADDRESS).u64(endOfFile).u64(UNDEFINED_ADDRESS);
  out.u64(0).u64(rootObjectHeaderAddress).u32(0).u32(0).zeros(16);
  return out.toBytes();
}
