/**
 * Session assembly: prompts typed one after another for the session's
 * length, their presses turned into muscle activations and MUAP trains on
 * the two bands, recording noise added, then the high-pass filter.
 */
import {
  CHANNELS_PER_BAND,
  type Keystroke,
  NUM_BANDS,
  type Prompt,
  SAMPLE_RATE_HZ,
  type SessionData,
} from "@emgkit/emg-io";
import { Random } from "@emgkit/emg-transforms";
import { butterworthHighPass, filterChannels } from "./filters";
import { MuapTrains } from "./muap-trains";
import { posturalActivations, pressActivations } from "./muscle-activation";
import { addRecordingNoise, drawRecordingNoise } from "./noise";
import { sessionName } from "./session-name";
import { PromptSource } from "./text-source";
import { typePrompt } from "./typing-model";
import { createUser, drawSessionPlacement, type SimulatedUser } from "./user-profile";

export interface SimulateSessionOptions {
  /** Seeds everything of the session: prompts, typing, placement, signal, noise. */
  seed: number;
  /** The person typing; default `createUser(seed)`. */
  user?: SimulatedUser;
  /** Length of the recording, minutes (default 1). */
  durationMinutes?: number;
  /** Unix time of the first sample, seconds; default a time in 2021 drawn from the seed. */
  startTime?: number;
  /** Default `<date>-<unix start>-keystrokes-sim@<user id>`. */
  sessionName?: string;
  /** High-pass cutoff, Hz (default 40). */
  highPassHz?: number;
  /** Where prompts come from; share one between sessions to parse the corpus once. */
  prompts?: PromptSource;
}

/** Shared by sessions that are not given a prompt source: the corpus is parsed once per process. */
let defaultPrompts: PromptSource | undefined;

function sharedPrompts(): PromptSource {
  defaultPrompts ??= new PromptSource();
  return defaultPrompts;
}

/** Time from the start of the recording to the first prompt, seconds. */
const LEAD_IN_S = 1;
/** A prompt that would end later than this before the end of the recording is not started. */
const TAIL_S = 0.5;
/** Intervals are this much longer than the median once pauses, typos and shifts count. */
const SLOW_PACE = 1.6;
/** No prompt is started with room for fewer characters than this. */
const MIN_PROMPT_CHARS = 20;
/** Prompts drawn in vain before the session is considered full. */
const MAX_PROMPT_MISSES = 8;

/**
 * Simulates one `on_keyboard` session in memory: EMG (T, band=2, channel=16)
 * float32 at 2 kHz in microvolts, with keystrokes and prompts as the
 * keylogger writes them. Deterministic: the same options give the same bytes.
 */
export function simulateSession(options: SimulateSessionOptions): SessionData {
  const random = new Random(options.seed);
  const textRandom = random.fork();
  const typingRandom = random.fork();
  const placementRandom = random.fork();
  const signalRandom = random.fork();
  const noiseRandom = random.fork();
  const user = options.user ?? createUser(random.fork().int(0, 2 ** 32));
  const startTime = options.startTime ?? Math.round(random.uniform(1_609_500_000, 1_640_000_000));
  const frames = Math.round((options.durationMinutes ?? 1) * 60 * SAMPLE_RATE_HZ);
  const durationS = frames / SAMPLE_RATE_HZ;
  const channels = NUM_BANDS * CHANNELS_PER_BAND;

  const prompts: Prompt[] = [];
  const keystrokes: Keystroke[] = [];
  const trains = new MuapTrains(user, drawSessionPlacement(user, placementRandom), SAMPLE_RATE_HZ);
  const emg = new Float32Array(frames * channels);
  const source = options.prompts ?? sharedPrompts();
  const endTime = startTime + durationS - TAIL_S;
  for (let shownAt = startTime + LEAD_IN_S, misses = 0; misses < MAX_PROMPT_MISSES; ) {
    // Characters the typist can likely type in the time left, at a slow pace.
    const charsLeft = (endTime - shownAt - 2) / (SLOW_PACE * user.typing.meanIntervalS);
    if (charsLeft < MIN_PROMPT_CHARS) break;
    const text = source.next(textRandom, charsLeft);
    const typed = typePrompt(text, shownAt, user.typing, typingRandom);
    if (typed.prompt.end > endTime) {
      misses++; // slower than expected: a shorter prompt may still fit
      continue;
    }
    prompts.push(typed.prompt);
    for (const press of typed.presses) {
      keystrokes.push({ key: press.key, start: press.start, end: press.end });
      for (const activation of pressActivations(press, startTime, user.fingerDrive, signalRandom)) {
        trains.render(activation, emg, frames, signalRandom);
      }
    }
    shownAt = typed.prompt.end + typingRandom.uniform(0.3, 1);
  }
  for (const activation of posturalActivations(durationS, signalRandom)) {
    trains.render(activation, emg, frames, signalRandom);
  }

  const noise = drawRecordingNoise(user.noiseFloorUv, channels, noiseRandom);
  addRecordingNoise(emg, frames, noise, SAMPLE_RATE_HZ, noiseRandom);
  filterChannels(
    emg,
    frames,
    channels,
    butterworthHighPass(options.highPassHz ?? 40, SAMPLE_RATE_HZ),
  );

  const time = new Float64Array(frames);
  for (let i = 0; i < frames; i++) time[i] = startTime + i / SAMPLE_RATE_HZ;
  return {
    metadata: {
      sessionName: options.sessionName ?? sessionName(startTime, user.id),
      user: user.id,
      condition: "on_keyboard",
      durationMins: durationS / 60,
    },
    keystrokes,
    prompts,
    time,
    emg,
  };
}
