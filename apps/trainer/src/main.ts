import { Command, CommanderError } from "commander";
import { dataCommand } from "./commands/data.js";
import { decodeCommand } from "./commands/decode.js";
import { demoCommand } from "./commands/demo.js";
import { evalCommand } from "./commands/eval.js";
import { experimentCommand } from "./commands/experiment.js";
import { lmCommand } from "./commands/lm.js";
import { simulateCommand } from "./commands/simulate.js";
import { trainCommand } from "./commands/train.js";
import { viewCommand } from "./commands/view.js";
import { CliError } from "./errors.js";

/** The `emgkit` program; `parseAsync` throws instead of exiting, so `main` decides the exit code. */
export function createProgram(): Command {
  const program = new Command("emgkit")
    .description(
      "Decode typing from surface EMG: simulate data, train, evaluate and decode CTC models.",
    )
    .addCommand(simulateCommand())
    .addCommand(trainCommand())
    .addCommand(evalCommand())
    .addCommand(decodeCommand())
    .addCommand(lmCommand())
    .addCommand(experimentCommand())
    .addCommand(dataCommand())
    .addCommand(demoCommand())
    .addCommand(viewCommand())
    .addHelpText(
      "after",
      `
Examples:
  emgkit demo                                   # simulate, train for 7 minutes, test
  emgkit simulate --out sim-data
  emgkit train dataset_root=sim-data user=sim-data/splits/user0.yaml --config demo
  emgkit eval runs/<run> --decoder ctc_beam
  emgkit experiment architectures --config demo dataset_root=sim-data user=sim-data/splits/user0.yaml
  emgkit view runs                              # the web viewer over a folder, read-only
  emgkit <command> --help`,
    );
  // addCommand does not pass these settings down, so set them on every command.
  const configure = (command: Command) => {
    command.exitOverride().showHelpAfterError("(run with --help for usage)");
    for (const sub of command.commands) configure(sub);
  };
  configure(program);
  return program;
}

/** Runs the CLI; returns the exit code (0 ok, 1 failed work or bad input, 2 bad usage). */
export async function main(argv: string[]): Promise<number> {
  try {
    await createProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`emgkit: ${message.split("\n")[0]}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}
