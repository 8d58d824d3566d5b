import { EmgIoError } from "./errors.js";

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]; // "\x89HDF\r\n\x1a\n"

/** Bytes to read from the start of a file for `checkHdf5Header` (signature at 0..2048 plus superblock). */
export const HDF5_HEADER_BYTES = 2048 + 64;

/**
 * Checks, before HDF5 opens the file, that it is an HDF5 file and that it is
 * whole: the superblock's end-of-file address must not lie past the file's
 * size. HDF5 itself would fail later with a long error stack.
 *
 * @param head the first `HDF5_HEADER_BYTES` bytes (or all of a shorter file)
 * @param fileSize the file's size in bytes
 * @param source the file name, for the error message
 */
export function checkHdf5Header(head: Uint8Array, fileSize: number, source: string): void {
  // The superblock sits at 0, or after a user block of 512, 1024 or 2048 bytes.
  const base = [0, 512, 1024, 2048].find((offset) =>
    SIGNATURE.every((byte, i) => head[offset + i] === byte),
  );
  if (base === undefined) throw new EmgIoError(source, "not an HDF5 file (no HDF5 signature)");
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const version = head[base + 8];
  // Where the size-of-offsets byte and the address fields start, per superblock version.
  const layout: Record<number, { sizeOfOffsets: number; addressesFrom: number }> = {
    0: { sizeOfOffsets: 13, addressesFrom: 24 },
    1: { sizeOfOffsets: 13, addressesFrom: 28 },
    2: { sizeOfOffsets: 9, addressesFrom: 12 },
    3: { sizeOfOffsets: 9, addressesFrom: 12 },
  };
  const at = version === undefined ? undefined : layout[version];
  if (at === undefined) return; // a newer superblock: leave the checks to HDF5
  if (head[base + at.sizeOfOffsets] !== 8 || head.length < base + at.addressesFrom + 24) return;
  // Addresses: base address, then (v0/1) free-space or (v2/3) extension, then end of file.
  const eofOffset = base + at.addressesFrom + 16;
  const baseAddress = Number(view.getBigUint64(base + at.addressesFrom, true));
  const eof = Number(view.getBigUint64(eofOffset, true));
  if (baseAddress + eof > fileSize) {
    throw new EmgIoError(
      source,
      `truncated HDF5 file (${fileSize} bytes; its superblock says ${baseAddress + eof})`,
    );
  }
}
