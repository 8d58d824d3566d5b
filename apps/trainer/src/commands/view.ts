import { existsSync, readdirSync, statSync } from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import { CliError } from "../errors.js";
import { printResult } from "../output.js";
import { builtViewerDir, copyStatic } from "../view/assets.js";
import { isLoopbackHost } from "../view/hosts.js";
import { startViewServer } from "../view/server.js";

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError("expected a port from 0 to 65535 (0 picks a free one)");
  }
  return n;
}

interface ViewFlags {
  port: number;
  host: string;
  export?: string;
  assets?: string;
  json?: boolean;
}

function assetsFrom(flags: ViewFlags): string {
  if (flags.assets === undefined) return builtViewerDir();
  if (!existsSync(`${flags.assets}/index.html`)) {
    throw new CliError(`${flags.assets}: no index.html (not a built viewer)`);
  }
  return flags.assets;
}

async function exportViewer(out: string, flags: ViewFlags): Promise<void> {
  const assets = assetsFrom(flags);
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new CliError(`${out} is a file, not a folder`);
    if (readdirSync(out).length > 0 && !existsSync(`${out}/index.html`)) {
      throw new CliError(`${out} is not empty; export into a new or empty folder`);
    }
  }
  const copied = await copyStatic(assets, out);
  printResult(
    { out, files: copied.files, bytes: copied.bytes },
    flags.json === true,
    () =>
      `exported the viewer to ${out} (${copied.files} files, ${(copied.bytes / 1e6).toFixed(1)} MB); host it anywhere and open files by drag and drop`,
  );
}

function listenProblem(error: NodeJS.ErrnoException, flags: ViewFlags): string {
  switch (error.code) {
    case "EADDRINUSE":
      return `port ${flags.port} is in use; pick another with --port (0 picks a free one)`;
    case "EACCES":
      return `port ${flags.port} needs privileges; pick one above 1023 with --port`;
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `--host ${flags.host}: not an address of this machine`;
    default:
      return `cannot listen on ${flags.host}:${flags.port}: ${error.message}`;
  }
}

async function serve(dir: string, flags: ViewFlags): Promise<void> {
  if (!existsSync(dir)) throw new CliError(`${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw new CliError(`${dir} is a file, not a folder`);
  const assetsDir = assetsFrom(flags);
  if (!isLoopbackHost(flags.host)) {
    process.stderr.write(
      `emgkit: warning: listening on ${flags.host}: everything in ${dir} becomes readable by anyone on the network who can reach this machine\n`,
    );
  }
  const server = await startViewServer({
    root: dir,
    assetsDir,
    host: flags.host,
    port: flags.port,
  }).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(listenProblem(error, flags));
  });
  printResult(
    { url: server.url, root: server.root, host: server.host, port: server.port },
    flags.json === true,
    () => `serving ${dir} read-only at ${server.url} (Ctrl-C to stop)`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      server.close().then(resolve, resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** `emgkit view`: the web viewer over one folder, or its static files for hosting elsewhere. */
export function viewCommand(): Command {
  return new Command("view")
    .description(
      "Serve a folder (sessions, runs, experiments) read-only with the web viewer, on this machine only by default.",
    )
    .argument("[dir]", "the folder to serve; nothing outside it is reachable")
    .option("--port <n>", "port to listen on (0 picks a free one)", portNumber, 8765)
    .option(
      "--host <address>",
      "address to listen on; anything but loopback makes the folder readable by the network",
      "127.0.0.1",
    )
    .option(
      "--export <out-dir>",
      "copy the viewer's static files to <out-dir> and exit (host them anywhere; open files by drag and drop)",
    )
    .option("--assets <dir>", "the viewer's static files (default: the built @emgkit/viewer)")
    .option("--json", "print the URL (or the export's result) as JSON")
    .addHelpText(
      "after",
      `
Examples:
  $ emgkit view .                              # http://127.0.0.1:8765/, Ctrl-C to stop
  $ emgkit view runs --port 0                  # any free port
  $ emgkit view sim-data --host 0.0.0.0        # readable by the network (warns)
  $ emgkit view --export viewer-site           # static files, no data

Served: /files/<path> (the folder's files, read-only), /api/files?dir=<path>
(a folder's entries as JSON) and the viewer. Paths with "..", encoded
separators (%2f, %5c), NUL, absolute paths or drive letters are refused (403);
symlinks that leave the folder are not found (404). The viewer must be built
first: pnpm --filter @emgkit/viewer build.`,
    )
    .action(async (dir: string | undefined, flags: ViewFlags) => {
      if (flags.export !== undefined) {
        if (dir !== undefined) {
          throw new CliError(
            "--export copies only the viewer, not a folder's data; drop <dir> (or drop --export to serve it)",
            2,
          );
        }
        return exportViewer(flags.export, flags);
      }
      if (dir === undefined) {
        throw new CliError("missing <dir>: the folder to serve (or --export <out-dir>)", 2);
      }
      return serve(dir, flags);
    });
}
