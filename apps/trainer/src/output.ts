/** Prints a command's result: JSON on stdout with --json, else the text `format` makes. */
export function printResult(result: unknown, json: boolean, format: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${format()}\n`);
}
