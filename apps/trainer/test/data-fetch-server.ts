import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create as createTar } from "tar";

export const ARCHIVE_NAME = "emg2qwerty-data-2021-08.tar.gz";
export const TOP = "emg2qwerty-data-2021-08";

/** A small stand-in for the emg2qwerty archive: two fake .hdf5 sessions and metadata.csv. */
export interface FakeDataset {
  archive: Buffer;
  sha256: string;
  files: Record<string, Buffer>;
}

export async function makeFakeDataset(): Promise<FakeDataset> {
  const dir = await mkdtemp(join(tmpdir(), "emgkit-fake-"));
  await mkdir(join(dir, TOP));
  const files: Record<string, Buffer> = {
    // Random bytes do not compress, so the archive is about 400 kB: big enough to cut mid-way.
    "2021-06-02-1622679967-keystrokes-dca-study@1-0efbe614.hdf5": randomBytes(200_000),
    "2021-06-04-1622862148-keystrokes-dca-study@1-0efbe614.hdf5": randomBytes(200_000),
    "metadata.csv": Buffer.from("session,user\n2021-06-02-1622679967,89335547\n"),
  };
  for (const [name, body] of Object.entries(files)) await writeFile(join(dir, TOP, name), body);
  const file = join(dir, ARCHIVE_NAME);
  await createTar({ gzip: true, cwd: dir, file, portable: true }, [TOP]);
  const archive = await readFile(file);
  return { archive, sha256: createHash("sha256").update(archive).digest("hex"), files };
}

export interface Behaviour {
  /** Close the socket after this many body bytes on the first `dropTimes` file requests. */
  dropAfter?: number;
  dropTimes?: number;
  /** With dropAfter: leave the connection open and silent instead of closing it. */
  stall?: boolean;
  /** Answer every Range request with the whole file (200). */
  ignoreRange?: boolean;
  /** Answer file requests with this status and a short text body. */
  status?: number;
  /** Serve this body instead of the archive. */
  body?: Buffer;
  etag?: string;
}

export interface TestServer {
  /** URL of the archive. */
  url: string;
  /** URL that redirects (302, relative Location) to the archive. */
  redirectUrl: string;
  /** Headers of each request for the archive, in order. */
  requests: IncomingHttpHeaders[];
  behaviour: Behaviour;
  close(): Promise<void>;
}

export async function startServer(archive: Buffer, behaviour: Behaviour = {}): Promise<TestServer> {
  const requests: IncomingHttpHeaders[] = [];
  let dropped = 0;
  const server = createServer((req, res) => {
    if (req.url === "/old/location") {
      res.writeHead(302, { location: `/files/${ARCHIVE_NAME}` }).end();
      return;
    }
    if (req.url !== `/files/${ARCHIVE_NAME}`) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    requests.push(req.headers);
    if (state.behaviour.status !== undefined) {
      res.writeHead(state.behaviour.status, { "content-type": "text/plain" }).end("no");
      return;
    }
    const body = state.behaviour.body ?? archive;
    const etag = state.behaviour.etag ?? '"v1"';
    const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    const ifRange = req.headers["if-range"];
    let start = 0;
    if (
      match !== null &&
      !state.behaviour.ignoreRange &&
      (ifRange === undefined || ifRange === etag)
    ) {
      start = Number(match[1]);
      if (start >= body.length) {
        res.writeHead(416, { "content-range": `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, {
        "content-length": body.length - start,
        "content-range": `bytes ${start}-${body.length - 1}/${body.length}`,
        etag,
      });
    } else {
      res.writeHead(200, { "content-length": body.length, etag, "accept-ranges": "bytes" });
    }
    const { dropAfter, dropTimes = 1 } = state.behaviour;
    if (dropAfter !== undefined && dropped < dropTimes) {
      dropped++;
      const stall = state.behaviour.stall === true;
      res.write(body.subarray(start, start + dropAfter), () => {
        if (!stall) res.socket?.destroy();
      });
      return;
    }
    res.end(body.subarray(start));
  });
  const state = { behaviour };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/files/${ARCHIVE_NAME}`,
    redirectUrl: `http://127.0.0.1:${port}/old/location`,
    requests,
    get behaviour() {
      return state.behaviour;
    },
    set behaviour(value: Behaviour) {
      state.behaviour = value;
      dropped = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
