/** @emgkit/trainer for Node: everything in the main entry, plus file-backed datasets, loops and checkpoints. */
export * from "./index.js";
