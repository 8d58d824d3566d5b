/**
 * @emgkit/emg-sim: realistic synthetic sEMG typing sessions in emg2qwerty's
 * layout, and an 8-channel finger-movement dataset. Node only (reads the
 * Brown corpus, writes files).
 */
export { type Biquad, butterworthHighPass, filterChannels } from "./filters";
export { type FingerCsvSimulationOptions, simulateFingerCsv } from "./finger-csv";
export {
  FINGERS,
  type Finger,
  type Hand,
  type KeyPlacement,
  keyPlacement,
  neighbourLetters,
  typedKey,
} from "./keyboard";
export { type MotorUnit, POOLS_PER_HAND } from "./motor-units";
export { type MuapShape, muapTemplate } from "./muap-templates";
export { type Activation, pressActivations } from "./muscle-activation";
export { addRecordingNoise, drawRecordingNoise, HUM_HZ, type RecordingNoise } from "./noise";
export { sessionName } from "./session-name";
export { type SimulateDatasetOptions, type SimulatedDataset, simulate } from "./simulate-dataset";
export { type SimulateSessionOptions, simulateSession } from "./simulate-session";
export { type Footprint, footprintWeight } from "./spatial-footprint";
export { splitYaml } from "./split-yaml";
export { brownCorpusDir, PromptSource, parseTaggedSentences } from "./text-source";
export {
  drawTypistStyle,
  type KeyPress,
  plannedActions,
  type TypedPrompt,
  type TypistStyle,
  typePrompt,
} from "./typing-model";
export {
  createUser,
  drawSessionPlacement,
  type SessionPlacement,
  type SimulatedUser,
} from "./user-profile";
