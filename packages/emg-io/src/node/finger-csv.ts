/** Reading finger-movement CSV files in Node; the format is described in `../finger-csv`. */
import { readFile } from "node:fs/promises";
import { EmgIoError } from "../errors";
import { type FingerCsvOptions, type FingerRecording, parseFingerCsv } from "../finger-csv";

/**
 * Reads and parses a finger-movement CSV file (UTF-8). A missing or unreadable file, like bad
 * content, throws a one-line EmgIoError naming the path.
 */
export async function readFingerCsv(
  path: string,
  options: FingerCsvOptions = {},
): Promise<FingerRecording> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EmgIoError(
      path,
      code === "ENOENT" ? "no such file" : `cannot read (${code ?? String(error)})`,
    );
  }
  return parseFingerCsv(text, path, options);
}
