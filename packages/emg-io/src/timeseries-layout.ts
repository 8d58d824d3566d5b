import type { Metadata } from "h5wasm";
import { EmgIoError } from "./errors.js";
import { CHANNELS_PER_BAND, NUM_BANDS } from "./session-types.js";

/** HDF5 datatype classes, as h5wasm's metadata numbers them. */
const H5T_FLOAT = 1;
const H5T_COMPOUND = 6;
const H5T_ARRAY = 10;

const EXPECTED = `time <f8, emg_left <f4 (${CHANNELS_PER_BAND}), emg_right <f4 (${CHANNELS_PER_BAND})`;
const FIELDS = ["time", "emg_left", "emg_right"] as const;

interface Member {
  name: string;
  /** Bytes of the member, alignment of its scalar element, whether it matches what we need. */
  size: number;
  align: number;
  littleEndian: boolean;
  describe: string;
}

/**
 * Where `time`, `emg_left` and `emg_right` sit in a row of the `timeseries`
 * compound dataset as HDF5 returns it in memory (its native type: members in
 * file order, each aligned to its element size, row padded to the widest
 * alignment), and how to decode rows into typed arrays.
 */
export class TimeseriesLayout {
  private constructor(
    /** Bytes per row in memory. */
    readonly rowBytes: number,
    /** Byte offsets of the fields within a row. */
    readonly offsets: Readonly<Record<(typeof FIELDS)[number], number>>,
    private readonly littleEndian: boolean,
  ) {}

  /** Checks the dataset's type against emg2qwerty's and lays out its native rows. */
  static fromMetadata(metadata: Metadata, source: string): TimeseriesLayout {
    if (metadata.shape?.length !== 1) {
      throw new EmgIoError(
        source,
        `timeseries has shape [${metadata.shape}], expected one dimension`,
      );
    }
    const members = metadata.type === H5T_COMPOUND ? (metadata.compound_type?.members ?? []) : [];
    if (members.length === 0) {
      throw new EmgIoError(source, `timeseries is not a compound dataset of ${EXPECTED}`);
    }
    const described: Member[] = members.map((m) => describeMember(m as unknown as MemberMetadata));
    const wanted = FIELDS.map((name) => described.find((m) => m.name === name));
    const ok = wanted.every((m, i) => m?.describe === describeWanted(FIELDS[i] as string));
    if (!ok) {
      const found = described.map((m) => m.describe).join(", ");
      throw new EmgIoError(source, `timeseries fields are ${found}; expected ${EXPECTED}`);
    }
    let offset = 0;
    let maxAlign = 1;
    const offsets: Record<string, number> = {};
    for (const member of described) {
      offset = alignUp(offset, member.align);
      offsets[member.name] = offset;
      offset += member.size;
      maxAlign = Math.max(maxAlign, member.align);
    }
    const littleEndian = wanted.every((m) => m?.littleEndian);
    return new TimeseriesLayout(
      alignUp(offset, maxAlign),
      offsets as Record<(typeof FIELDS)[number], number>,
      littleEndian,
    );
  }

  /**
   * Decodes `rows` native rows into times (T,) and EMG (T, 2, 16), band 0 =
   * left. Uses typed-array views when the rows are aligned little-endian
   * (the usual case), a DataView otherwise.
   */
  decode(bytes: Uint8Array, rows: number, time: Float64Array, emg: Float32Array): void {
    const { rowBytes, offsets } = this;
    const perRow = NUM_BANDS * CHANNELS_PER_BAND;
    const aligned =
      this.littleEndian &&
      HOST_LITTLE_ENDIAN &&
      bytes.byteOffset % 8 === 0 &&
      rowBytes % 8 === 0 &&
      offsets.time % 8 === 0 &&
      offsets.emg_left % 4 === 0 &&
      offsets.emg_right % 4 === 0;
    if (aligned) {
      const f64 = new Float64Array(bytes.buffer, bytes.byteOffset, (rows * rowBytes) / 8);
      const f32 = new Float32Array(bytes.buffer, bytes.byteOffset, (rows * rowBytes) / 4);
      const rowF64 = rowBytes / 8;
      const rowF32 = rowBytes / 4;
      for (let r = 0; r < rows; r++) {
        time[r] = f64[r * rowF64 + offsets.time / 8] as number;
        const left = r * rowF32 + offsets.emg_left / 4;
        const right = r * rowF32 + offsets.emg_right / 4;
        const out = r * perRow;
        for (let c = 0; c < CHANNELS_PER_BAND; c++) {
          emg[out + c] = f32[left + c] as number;
          emg[out + CHANNELS_PER_BAND + c] = f32[right + c] as number;
        }
      }
      return;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, rows * rowBytes);
    const le = this.littleEndian;
    for (let r = 0; r < rows; r++) {
      const row = r * rowBytes;
      time[r] = view.getFloat64(row + offsets.time, le);
      for (let c = 0; c < CHANNELS_PER_BAND; c++) {
        emg[r * perRow + c] = view.getFloat32(row + offsets.emg_left + 4 * c, le);
        emg[r * perRow + CHANNELS_PER_BAND + c] = view.getFloat32(
          row + offsets.emg_right + 4 * c,
          le,
        );
      }
    }
  }
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The fields of h5wasm's compound member metadata that matter here. */
interface MemberMetadata {
  name: string;
  type: number;
  size: number;
  littleEndian: boolean;
  array_type?: { type: number; size: number; shape: number[]; littleEndian: boolean };
}

function describeMember(m: MemberMetadata): Member {
  const element = m.type === H5T_ARRAY && m.array_type ? m.array_type : m;
  const kind = element.type === H5T_FLOAT ? "f" : `class${element.type}:`;
  const shape = m.type === H5T_ARRAY && m.array_type ? ` (${m.array_type.shape.join(", ")})` : "";
  return {
    name: m.name,
    size: m.size,
    align: element.size,
    littleEndian: element.littleEndian,
    describe: `${m.name} ${element.littleEndian ? "<" : ">"}${kind}${element.size}${shape}`,
  };
}

function describeWanted(name: string): string {
  return name === "time" ? "time <f8" : `${name} <f4 (${CHANNELS_PER_BAND})`;
}

function alignUp(offset: number, align: number): number {
  return Math.ceil(offset / align) * align;
}
