import type { Metadata } from "h5wasm";
import { EmgIoError } from "./errors.js";
import { CHANNELS_PER_BAND } from "./session-types.js";
import { deinterleaveRows, type RowOffsets } from "./wasm/deinterleaver.js";

/** HDF5 datatype classes, as h5wasm's metadata numbers them. */
const H5T_FLOAT = 1;
const H5T_COMPOUND = 6;
const H5T_ARRAY = 10;

const EXPECTED = `time <f8, emg_left <f4 (${CHANNELS_PER_BAND}), emg_right <f4 (${CHANNELS_PER_BAND})`;
const FIELDS = ["time", "emg_left", "emg_right"] as const;

/** The fields of h5wasm's compound member metadata that matter here. */
interface MemberMetadata {
  name: string;
  type: number;
  size: number;
  offset: number;
  littleEndian: boolean;
  array_type?: { type: number; size: number; shape: number[]; littleEndian: boolean };
}

/**
 * Where `time`, `emg_left` and `emg_right` sit in a row of the `timeseries`
 * compound dataset, and how to decode rows. h5wasm reads rows in the file's
 * own layout, turned little-endian, so the file's offsets hold in memory.
 */
export class TimeseriesLayout {
  private constructor(
    /** Bytes per row. */
    readonly rowBytes: number,
    readonly offsets: Readonly<RowOffsets>,
  ) {}

  /** Checks the dataset's type against emg2qwerty's and takes its row layout. */
  static fromMetadata(metadata: Metadata, source: string): TimeseriesLayout {
    if (metadata.shape?.length !== 1) {
      throw new EmgIoError(
        source,
        `timeseries has shape [${metadata.shape}], expected one dimension`,
      );
    }
    const members = (metadata.type === H5T_COMPOUND
      ? (metadata.compound_type?.members ?? [])
      : []) as unknown as MemberMetadata[];
    if (members.length === 0) {
      throw new EmgIoError(source, `timeseries is not a compound dataset of ${EXPECTED}`);
    }
    const wanted = FIELDS.map((name) => members.find((m) => m.name === name));
    if (
      !wanted.every(
        (m, i) => m !== undefined && describe(m) === describeWanted(FIELDS[i] as string),
      )
    ) {
      const found = members.map(describe).join(", ");
      throw new EmgIoError(source, `timeseries fields are ${found}; expected ${EXPECTED}`);
    }
    const [time, left, right] = wanted as [MemberMetadata, MemberMetadata, MemberMetadata];
    if (new Set(members.map(elementLittleEndian)).size > 1) {
      // h5wasm turns a big-endian row little-endian only when all members agree.
      throw new EmgIoError(source, "timeseries mixes byte orders, which cannot be read");
    }
    return new TimeseriesLayout(metadata.size, {
      time: time.offset,
      emg_left: left.offset,
      emg_right: right.offset,
    });
  }

  /**
   * Decodes `rows` rows into times (T,) and EMG (T, 2, 16), band 0 = left:
   * new arrays, or the ones given.
   */
  decode(
    bytes: Uint8Array,
    rows: number,
    into?: { time: Float64Array; emg: Float32Array },
  ): { time: Float64Array; emg: Float32Array } {
    return deinterleaveRows(bytes, rows, this.rowBytes, this.offsets, into);
  }
}

function elementLittleEndian(m: MemberMetadata): boolean {
  return (m.type === H5T_ARRAY && m.array_type ? m.array_type : m).littleEndian;
}

/** A member as text, like numpy's dtype: `emg_left <f4 (16)`. */
function describe(m: MemberMetadata): string {
  const element = m.type === H5T_ARRAY && m.array_type ? m.array_type : m;
  const kind = element.type === H5T_FLOAT ? "f" : `class${element.type}:`;
  const shape = m.type === H5T_ARRAY && m.array_type ? ` (${m.array_type.shape.join(", ")})` : "";
  return `${m.name} ${element.littleEndian ? "<" : ">"}${kind}${element.size}${shape}`;
}

function describeWanted(name: string): string {
  return name === "time" ? "time <f8" : `${name} <f4 (${CHANNELS_PER_BAND})`;
}
