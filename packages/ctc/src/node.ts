/** The Node entry of @emgkit/ctc: everything of the main entry, plus loading LMs from files. */
export * from "./index.js";
export { DEFAULT_LM_PATH, loadArpaFile, loadDefaultLanguageModel } from "./node/default-lm.js";
