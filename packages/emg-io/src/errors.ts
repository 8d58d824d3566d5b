/**
 * The one error type emg-io throws for bad input. Its message is a single line
 * that names the file (or other source) and the problem, so a CLI can print it
 * as it is and exit non-zero.
 */
export class EmgIoError extends Error {
  override name = "EmgIoError";

  /**
   * @param source the file path, or a short name for the input when it has none
   * @param problem what is wrong, in a few words, without a trailing period
   */
  constructor(
    readonly source: string,
    readonly problem: string,
  ) {
    super(`${source}: ${problem}`);
  }
}
