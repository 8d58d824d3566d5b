/**
 * An emg2qwerty session as a complete HDF5 file, laid out in this order:
 *
 * | part                     | size                                   |
 * |--------------------------|----------------------------------------|
 * | superblock (v0)          | 96                                     |
 * | root group header        | object header, link to `emg2qwerty`    |
 * | `emg2qwerty` header      | link to `timeseries`, six attributes   |
 * | `timeseries` header      | dataspace, datatype, fill, layout      |
 * | global heap collection   | the five string attribute values       |
 * | chunk B-tree nodes       | 2096 each, leaves first, root last     |
 * | chunks                   | chunkRows × 136 each, in row order     |
 *
 * Everything before the chunks (the "metadata") depends only on the
 * attributes and the row count, so it is computed first and the chunks can
 * follow as a stream. Groups are "compact" new-style groups (link info, group
 * info and link messages in the group's own object header), which avoids the
 * local heap and symbol-table B-tree of old-style groups.
 */
import { EmgIoError } from "../errors.js";
import type { SessionData } from "../session-types.js";
import { ByteWriter } from "./byte-writer.js";
import { chunkBTreeSize, encodeChunkBTree } from "./chunk-btree.js";
import {
  IEEE_F64,
  writeCompoundType,
  writeFloatType,
  writeVlenUtf8StringType,
} from "./datatypes.js";
import { encodeGlobalHeap, vlenReference } from "./global-heap.js";
import {
  attributeMessage,
  chunkedLayoutMessage,
  dataspaceMessage,
  fillValueMessage,
  groupInfoMessage,
  hardLinkMessage,
  linkInfoMessage,
  MessageType,
} from "./messages.js";
import { encodeObjectHeader, type HeaderMessage, MESSAGE_CONSTANT } from "./object-header.js";
import { encodeSuperblock, SUPERBLOCK_SIZE } from "./superblock.js";
import { encodeRows, ROW_MEMBERS, ROW_SIZE } from "./timeseries-rows.js";
import { groundTruthJson, validateSession } from "./validate-session.js";

export interface SessionWriteOptions {
  /**
   * Rows per HDF5 chunk (default 2048, 278 KB). HDF5 reads a cached chunk
   * whole, so small chunks waste little on a 10 000-sample window (6 chunks)
   * while the chunk B-tree stays shallow; measured in bench/read-windows.
   * Capped at the row count.
   */
  chunkRows?: number;
}

export const DEFAULT_CHUNK_ROWS = 2048;
/** Chunk byte sizes are 32-bit in the chunk B-tree keys. */
const MAX_CHUNK_ROWS = Math.floor(0xffff_ffff / ROW_SIZE);

/** Source named in errors when the caller has no file path. */
const IN_MEMORY_SOURCE = "session";

/**
 * Encodes a whole session file in memory. Browser-safe.
 * @throws EmgIoError when the session or the options are invalid
 */
export function encodeSession(session: SessionData, options: SessionWriteOptions = {}): Uint8Array {
  const plan = planFile(session, options, IN_MEMORY_SOURCE);
  const file = new Uint8Array(plan.fileSize);
  file.set(plan.metadata, 0);
  for (let chunk = 0; chunk < plan.chunkCount; chunk++) {
    const start = plan.metadata.length + chunk * plan.chunkBytes;
    encodeChunk(session, plan, chunk, file.subarray(start, start + plan.chunkBytes));
  }
  return file;
}

/**
 * The same file as `encodeSession`, as successive parts to write one after
 * another: the metadata first, then one part per chunk (fresh arrays, safe to
 * keep). The session is validated, and the metadata built, before this returns.
 * @param source names the destination in error messages
 * @throws EmgIoError when the session or the options are invalid
 */
export function sessionFileParts(
  session: SessionData,
  options: SessionWriteOptions = {},
  source = IN_MEMORY_SOURCE,
): Iterable<Uint8Array> {
  const plan = planFile(session, options, source);
  return (function* () {
    yield plan.metadata;
    for (let chunk = 0; chunk < plan.chunkCount; chunk++) {
      const bytes = new Uint8Array(plan.chunkBytes);
      encodeChunk(session, plan, chunk, bytes);
      yield bytes;
    }
  })();
}

/** The file's metadata bytes (everything before the first chunk) and its chunk geometry. */
interface FilePlan {
  metadata: Uint8Array;
  rows: number;
  chunkRows: number;
  chunkBytes: number;
  chunkCount: number;
  fileSize: number;
}

/** Chunk `chunk` into `target`; a partial last chunk keeps zeros after the last row. */
function encodeChunk(session: SessionData, plan: FilePlan, chunk: number, target: Uint8Array) {
  const firstRow = chunk * plan.chunkRows;
  const rowCount = Math.min(plan.chunkRows, plan.rows - firstRow);
  encodeRows(session.time, session.emg, firstRow, rowCount, target);
}

function planFile(session: SessionData, options: SessionWriteOptions, source: string): FilePlan {
  const rows = validateSession(session, source);
  const requestedChunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  if (
    !Number.isInteger(requestedChunkRows) ||
    requestedChunkRows < 1 ||
    requestedChunkRows > MAX_CHUNK_ROWS
  ) {
    throw new EmgIoError(
      source,
      `chunkRows must be an integer from 1 to ${MAX_CHUNK_ROWS}, got ${requestedChunkRows}`,
    );
  }
  // HDF5 refuses chunks larger than a fixed-size dataset.
  const chunkRows = Math.min(requestedChunkRows, rows);
  const chunkCount = Math.ceil(rows / chunkRows);
  const chunkBytes = chunkRows * ROW_SIZE;

  const { metadata: meta } = session;
  const utf8 = new TextEncoder();
  const strings = [
    { name: "session_name", bytes: utf8.encode(meta.sessionName) },
    { name: "user", bytes: utf8.encode(meta.user) },
    { name: "condition", bytes: utf8.encode(meta.condition) },
    {
      name: "keystrokes",
      bytes: utf8.encode(groundTruthJson("keystrokes", session.keystrokes, source)),
    },
    { name: "prompts", bytes: utf8.encode(groundTruthJson("prompts", session.prompts, source)) },
  ];
  const heap = encodeGlobalHeap(strings.map((s) => s.bytes));

  const groupHeader = (datasetAddress: number, heapAddress: number) =>
    encodeObjectHeader([
      ...groupLinkMessages("timeseries", datasetAddress),
      ...strings.map(({ name, bytes }, i) =>
        stringAttribute(name, vlenReference(bytes.length, heapAddress, heap.objectIndices[i] ?? 0)),
      ),
      float64Attribute("duration_mins", meta.durationMins),
    ]);
  const datasetHeader = (btreeAddress: number) =>
    encodeObjectHeader(timeseriesMessages(rows, chunkRows, btreeAddress));

  // Header sizes do not depend on the addresses inside them: measure them with zero addresses.
  const rootAddress = SUPERBLOCK_SIZE;
  const groupAddress = rootAddress + encodeObjectHeader(groupLinkMessages("emg2qwerty", 0)).length;
  const datasetAddress = groupAddress + groupHeader(0, 0).length;
  const heapAddress = datasetAddress + datasetHeader(0).length;
  const btreeAddress = heapAddress + heap.bytes.length;
  const firstChunkAddress = btreeAddress + chunkBTreeSize(chunkCount);
  const fileSize = firstChunkAddress + chunkCount * chunkBytes;

  const btree = encodeChunkBTree(
    { chunkCount, chunkRows, chunkBytes, elementSize: ROW_SIZE, firstChunkAddress },
    btreeAddress,
  );
  const metadata = new Uint8Array(firstChunkAddress);
  metadata.set(encodeSuperblock(rootAddress, fileSize), 0);
  metadata.set(encodeObjectHeader(groupLinkMessages("emg2qwerty", groupAddress)), rootAddress);
  metadata.set(groupHeader(datasetAddress, heapAddress), groupAddress);
  metadata.set(datasetHeader(btree.rootAddress), datasetAddress);
  metadata.set(heap.bytes, heapAddress);
  metadata.set(btree.bytes, btreeAddress);
  return { metadata, rows, chunkRows, chunkBytes, chunkCount, fileSize };
}

function groupLinkMessages(linkName: string, targetAddress: number): HeaderMessage[] {
  return [
    { type: MessageType.linkInfo, body: linkInfoMessage() },
    { type: MessageType.groupInfo, body: groupInfoMessage() },
    { type: MessageType.link, body: hardLinkMessage(linkName, targetAddress) },
  ];
}

function timeseriesMessages(
  rows: number,
  chunkRows: number,
  btreeAddress: number,
): HeaderMessage[] {
  const datatype = new ByteWriter();
  writeCompoundType(datatype, ROW_SIZE, ROW_MEMBERS);
  return [
    { type: MessageType.dataspace, body: dataspaceMessage([rows]) },
    { type: MessageType.datatype, body: datatype.toBytes(), flags: MESSAGE_CONSTANT },
    { type: MessageType.fillValue, body: fillValueMessage(), flags: MESSAGE_CONSTANT },
    {
      type: MessageType.dataLayout,
      body: chunkedLayoutMessage(btreeAddress, [chunkRows], ROW_SIZE),
    },
  ];
}

const SCALAR_DATASPACE = dataspaceMessage([]);

/** A scalar variable-length UTF-8 string attribute whose bytes live in the global heap. */
function stringAttribute(name: string, heapReference: Uint8Array): HeaderMessage {
  const datatype = new ByteWriter();
  writeVlenUtf8StringType(datatype);
  return {
    type: MessageType.attribute,
    body: attributeMessage(name, datatype.toBytes(), SCALAR_DATASPACE, heapReference),
  };
}

/** A scalar little-endian float64 attribute. */
function float64Attribute(name: string, value: number): HeaderMessage {
  const datatype = new ByteWriter();
  writeFloatType(datatype, IEEE_F64);
  const bytes = new ByteWriter().f64(value).toBytes();
  return {
    type: MessageType.attribute,
    body: attributeMessage(name, datatype.toBytes(), SCALAR_DATASPACE, bytes),
  };
}
