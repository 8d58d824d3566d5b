/**
 * Writes `test/fixtures/emgkit-written.hdf5` from the deterministic fixture
 * session; `scripts/check_with_h5py.py` then proves h5py reads it.
 *
 *   npx tsx scripts/make-writer-fixture.ts [output path]
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { encodeSession } from "../src/hdf5/session-file.js";
import { FIXTURE_CHUNK_ROWS, writerFixtureSession } from "../test/writer-fixture-session.js";

const output =
  process.argv[2] ??
  fileURLToPath(new URL("../test/fixtures/emgkit-written.hdf5", import.meta.url));
const bytes = encodeSession(writerFixtureSession(), { chunkRows: FIXTURE_CHUNK_ROWS });
writeFileSync(output, bytes);
console.log(`wrote ${output} (${bytes.length} bytes)`);
