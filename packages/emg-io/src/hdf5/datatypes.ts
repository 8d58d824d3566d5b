/**
 * Datatype message bodies (HDF5 message type 0x0003) for the few types a
 * session file holds. Every datatype starts with an 8-byte header:
 *
 * | offset | size | field                                              |
 * |--------|------|----------------------------------------------------|
 * | 0      | 1    | class (bits 0-3) and version (bits 4-7)            |
 * | 1      | 3    | class bit field                                    |
 * | 4      | 4    | size of one element in bytes                       |
 * | 8      | …    | class-specific properties                          |
 */
import type { ByteWriter } from "./byte-writer.js";

const FIXED_POINT_CLASS = 0;
const FLOATING_POINT_CLASS = 1;
const COMPOUND_CLASS = 6;
const VARIABLE_LENGTH_CLASS = 9;
const ARRAY_CLASS = 10;

function header(
  out: ByteWriter,
  typeClass: number,
  version: number,
  bits: [number, number, number],
  size: number,
) {
  out.u8((version << 4) | typeClass);
  out.u8(bits[0]).u8(bits[1]).u8(bits[2]);
  out.u32(size);
}

/** Layout of an IEEE 754 little-endian float: where its sign, exponent and mantissa bits sit. */
interface IeeeFloat {
  bytes: number;
  exponentBits: number;
  mantissaBits: number;
}

export const IEEE_F32: IeeeFloat = { bytes: 4, exponentBits: 8, mantissaBits: 23 };
export const IEEE_F64: IeeeFloat = { bytes: 8, exponentBits: 11, mantissaBits: 52 };

/**
 * Floating-point datatype, version 1, 20 bytes. Bit field: byte order little-endian,
 * zero padding, mantissa normalisation "implied leading 1" (0x20), sign bit position.
 * Properties (12 bytes): bit offset u16, precision u16, exponent location u8,
 * exponent size u8, mantissa location u8, mantissa size u8, exponent bias u32.
 */
export function writeFloatType(out: ByteWriter, float: IeeeFloat): void {
  const precision = float.bytes * 8;
  header(out, FLOATING_POINT_CLASS, 1, [0x20, precision - 1, 0], float.bytes);
  out.u16(0).u16(precision);
  out.u8(float.mantissaBits).u8(float.exponentBits).u8(0).u8(float.mantissaBits);
  out.u32(2 ** (float.exponentBits - 1) - 1);
}

/**
 * Variable-length UTF-8 string, version 1, 20 bytes: what h5py writes for a
 * Python `str`, so h5py reads it back as `str`. Bit field: type 1 (string),
 * padding 0 (null-terminated), character set 1 (UTF-8). An element is 16 bytes
 * (u32 byte length, then a global heap ID: u64 collection address, u32 object
 * index). The base type is a 1-byte unsigned integer (fixed-point, version 1,
 * offset 0, precision 8).
 */
const VLEN_STRING_ELEMENT_SIZE = 16;

export function writeVlenUtf8StringType(out: ByteWriter): void {
  header(out, VARIABLE_LENGTH_CLASS, 1, [0x01, 0x01, 0], VLEN_STRING_ELEMENT_SIZE);
  header(out, FIXED_POINT_CLASS, 1, [0, 0, 0], 1);
  out.u16(0).u16(8);
}

/**
 * Array datatype, version 2: rank u8, 3 reserved bytes, each dimension u32,
 * each permutation index u32 (identity), then the base type.
 */
export function writeArrayType(out: ByteWriter, dims: readonly number[], base: IeeeFloat): void {
  const count = dims.reduce((a, b) => a * b, 1);
  header(out, ARRAY_CLASS, 2, [0, 0, 0], count * base.bytes);
  out.u8(dims.length).zeros(3);
  for (const dim of dims) out.u32(dim);
  for (let index = 0; index < dims.length; index++) out.u32(index);
  writeFloatType(out, base);
}

/** One member of a compound type: a float or an array of floats. */
export interface CompoundMember {
  name: string;
  offset: number;
  type: IeeeFloat;
  /** Present for array members. */
  dims?: readonly number[];
}

/**
 * Compound datatype, version 2 (needed for array members). Bit field: member
 * count (u16). Per member: the name, null-terminated and zero-padded to a
 * multiple of 8 bytes, the member's byte offset u32, then its datatype.
 */
export function writeCompoundType(
  out: ByteWriter,
  size: number,
  members: readonly CompoundMember[],
): void {
  header(out, COMPOUND_CLASS, 2, [members.length & 0xff, members.length >> 8, 0], size);
  for (const member of members) {
    const nameStart = out.position;
    out.ascii(member.name).u8(0);
    out.zeros(((out.position - nameStart + 7) & ~7) - (out.position - nameStart));
    out.u32(member.offset);
    if (member.dims) writeArrayType(out, member.dims, member.type);
    else writeFloatType(out, member.type);
  }
}
