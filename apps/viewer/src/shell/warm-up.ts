/**
 * Opens a tiny in-memory session once at start-up, so that h5wasm (HDF5 in WebAssembly, 4.7 MB
 * of JavaScript) is loaded and compiled while the page is idle or a session is downloading,
 * rather than after the download.
 */
import { encodeSession, openSession } from "@emgkit/emg-io";

export async function warmUpSessionReader(): Promise<void> {
  const bytes = encodeSession({
    metadata: {
      sessionName: "warm-up",
      user: "warm-up",
      condition: "on_keyboard",
      durationMins: 0,
    },
    keystrokes: [],
    prompts: [],
    time: new Float64Array([0, 0.0005]),
    emg: new Float32Array(64),
  });
  const session = await openSession(bytes, "warm-up");
  session.read(0, 2);
  session.close();
}
