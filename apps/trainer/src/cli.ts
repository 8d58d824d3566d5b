import { Command, CommanderError } from "commander";
import { CliError } from "./errors.js";

const program = new Command("emgkit")
  .description(
    "Decode typing from surface EMG: simulate data, train, evaluate and decode CTC models.",
  )
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride();

async function main(argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof CliError) {
      process.stderr.write(`emgkit: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`emgkit: ${message.split("\n")[0]}\n`);
    process.exitCode = 1;
  }
}

await main(process.argv);
