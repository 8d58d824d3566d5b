/** The Node entry of @emgkit/models: everything of the main entry, plus weight files on disk. */
export * from "./index.js";
export { loadModelFile, saveWeightsFile } from "./weights/node.js";
