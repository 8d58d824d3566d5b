/**
 * The version-1 B-tree (node type 1) that indexes the chunks of a chunked
 * dataset, written bottom-up for chunks laid out one after another.
 *
 * Node, with K = 32, so at most 2K = 64 children: a version-0 superblock has
 * no field for the chunk-tree K, so readers assume the library default, 32.
 *
 * | offset | size | field                                                  |
 * |--------|------|--------------------------------------------------------|
 * | 0      | 4    | signature "TREE"                                       |
 * | 4      | 1    | node type (1: raw data chunks)                         |
 * | 5      | 1    | node level (0: leaves point at chunks)                 |
 * | 6      | 2    | entries used                                           |
 * | 8      | 8    | left sibling address (undefined at the edge)           |
 * | 16     | 8    | right sibling address (undefined at the edge)          |
 * | 24     | …    | key 0, child 0, key 1, child 1, …, key N               |
 *
 * The reader always loads a full node (24 + 2K·8 + (2K+1)·key bytes), so
 * unused entries are written as zeros.
 *
 * Key, for a 1-D dataset: chunk size in bytes u32, filter mask u32 (0), then
 * the chunk's offset in each dimension as u64 — the row, then 0 in the extra
 * "element byte" dimension. A node's last key bounds its last child; after the
 * dataset's last chunk the library writes size 0 and offsets (rows, element
 * size), and so does this writer.
 */
import { ByteWriter, UNDEFINED_ADDRESS } from "./byte-writer.js";

const CHILDREN_PER_NODE = 64;
const NODE_HEADER_SIZE = 24;
const KEY_SIZE = 4 + 4 + 2 * 8;
const ADDRESS_SIZE = 8;

/** Bytes of one node on disk. */
export const BTREE_NODE_SIZE =
  NODE_HEADER_SIZE + CHILDREN_PER_NODE * ADDRESS_SIZE + (CHILDREN_PER_NODE + 1) * KEY_SIZE;

/** How the chunks are laid out: consecutive, equal-sized, starting at `firstChunkAddress`. */
export interface ChunkRun {
  chunkCount: number;
  chunkRows: number;
  chunkBytes: number;
  elementSize: number;
  firstChunkAddress: number;
}

/** A child pointer: the first chunk under it and where it lives (a chunk, or a node one level down). */
interface Child {
  firstChunk: number;
  address: number;
}

interface PlannedNode extends Child {
  level: number;
  /** One past the last chunk under this node. */
  endChunk: number;
  children: Child[];
}

/** Nodes per level, leaves first, the root alone on the last level; addresses from `baseAddress` on. */
function planLevels(run: ChunkRun, baseAddress: number): PlannedNode[][] {
  let nextAddress = baseAddress;
  const groupIntoNodes = (children: Child[], level: number, endChunk: number): PlannedNode[] => {
    const nodes: PlannedNode[] = [];
    for (let first = 0; first < children.length; first += CHILDREN_PER_NODE) {
      const group = children.slice(first, first + CHILDREN_PER_NODE);
      const next = children[first + CHILDREN_PER_NODE];
      nodes.push({
        level,
        firstChunk: group[0]?.firstChunk ?? 0,
        endChunk: next ? next.firstChunk : endChunk,
        children: group,
        address: nextAddress,
      });
      nextAddress += BTREE_NODE_SIZE;
    }
    return nodes;
  };
  const chunks = Array.from({ length: run.chunkCount }, (_, chunk) => ({
    firstChunk: chunk,
    address: run.firstChunkAddress + chunk * run.chunkBytes,
  }));
  const levels = [groupIntoNodes(chunks, 0, run.chunkCount)];
  for (let top = levels[0] ?? []; top.length > 1; ) {
    top = groupIntoNodes(top, levels.length, run.chunkCount);
    levels.push(top);
  }
  return levels;
}

/** Total bytes of all nodes of the tree indexing `chunkCount` chunks. */
export function chunkBTreeSize(chunkCount: number): number {
  let nodes = 0;
  for (let count = chunkCount; ; count = Math.ceil(count / CHILDREN_PER_NODE)) {
    nodes += Math.ceil(count / CHILDREN_PER_NODE);
    if (count <= CHILDREN_PER_NODE) return nodes * BTREE_NODE_SIZE;
  }
}

export interface EncodedChunkBTree {
  /** All nodes, leaves first, the root last, each BTREE_NODE_SIZE bytes. */
  bytes: Uint8Array;
  rootAddress: number;
}

/** Encodes the tree for `run`, its nodes placed one after another from `baseAddress`. */
export function encodeChunkBTree(run: ChunkRun, baseAddress: number): EncodedChunkBTree {
  const out = new ByteWriter();
  let root: PlannedNode | undefined;
  for (const nodes of planLevels(run, baseAddress)) {
    nodes.forEach((node, i) => {
      out.ascii("TREE").u8(1).u8(node.level).u16(node.children.length);
      out.u64(nodes[i - 1]?.address ?? UNDEFINED_ADDRESS);
      out.u64(nodes[i + 1]?.address ?? UNDEFINED_ADDRESS);
      for (const child of node.children) {
        writeKey(out, run, child.firstChunk);
        out.u64(child.address);
      }
      writeKey(out, run, node.endChunk);
      out.zeros(node.address + BTREE_NODE_SIZE - baseAddress - out.position);
      root = node;
    });
  }
  if (!root) throw new RangeError("a chunk B-tree needs at least one chunk");
  return { bytes: out.toBytes(), rootAddress: root.address };
}

/** The key to the left of chunk `chunk`; for `chunk === chunkCount`, the key closing the last chunk. */
function writeKey(out: ByteWriter, run: ChunkRun, chunk: number): void {
  const isEnd = chunk === run.chunkCount;
  out.u32(isEnd ? 0 : run.chunkBytes).u32(0);
  out.u64(chunk * run.chunkRows).u64(isEnd ? run.elementSize : 0);
}
