/**
 * The Node entry of @emgkit/emg-io: everything of the browser entry, with
 * `openSession` and `loadSplit` taking file paths, plus the functions that
 * need the file system.
 */
export * from "./index.js";
export { indexDataset } from "./node/dataset-index.js";
export { readFingerCsv } from "./node/finger-csv.js";
export { openSession } from "./node/open-session.js";
export { checkSplitFiles, loadSplit } from "./node/splits.js";
export { writeSession } from "./node/write-session.js";
