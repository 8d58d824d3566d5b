/**
 * An error the user can act on: printed as one line (`emgkit: <message>`)
 * with `exitCode`, never as a stack trace. 1 = bad input or failed work,
 * 2 = bad usage (unknown option, command or config key).
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}
