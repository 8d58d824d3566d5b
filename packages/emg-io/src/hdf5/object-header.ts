/**
 * Version-1 object headers: the one kind readable by every HDF5 library
 * since 1.0, and free of checksums.
 *
 * | offset | size | field                                           |
 * |--------|------|-------------------------------------------------|
 * | 0      | 1    | version (1)                                     |
 * | 1      | 1    | reserved                                        |
 * | 2      | 2    | number of messages                              |
 * | 4      | 4    | object reference count (1)                      |
 * | 8      | 4    | size of the message block that follows          |
 * | 12     | 4    | padding, so messages start 8-byte aligned       |
 * | 16     | …    | messages                                        |
 *
 * Each message: type u16, body size u16, flags u8, 3 reserved bytes, then the
 * body zero-padded to a multiple of 8 bytes (the size field counts the padding).
 */
import { alignTo8, ByteWriter } from "./byte-writer.js";

/** Message flag: the message never changes (the HDF5 library marks datatypes and fill values so). */
export const MESSAGE_CONSTANT = 0x01;

export interface HeaderMessage {
  type: number;
  body: Uint8Array;
  flags?: number;
}

const MAX_MESSAGE_BODY = 0xffff;

export function encodeObjectHeader(messages: readonly HeaderMessage[]): Uint8Array {
  const block = new ByteWriter();
  for (const message of messages) {
    const paddedSize = alignTo8(message.body.length);
    if (paddedSize > MAX_MESSAGE_BODY) {
      throw new RangeError(`object header message of ${message.body.length} bytes is too large`);
    }
    block
      .u16(message.type)
      .u16(paddedSize)
      .u8(message.flags ?? 0)
      .zeros(3);
    block.raw(message.body).padTo8();
  }
  const messageBytes = block.toBytes();
  const out = new ByteWriter();
  out.u8(1).u8(0).u16(messages.length).u32(1).u32(messageBytes.length).zeros(4);
  out.raw(messageBytes);
  return out.toBytes();
}
