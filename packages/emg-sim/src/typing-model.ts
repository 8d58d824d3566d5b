/**
 * The typing model: how a typist turns a prompt into timed key presses.
 *
 * Inter-key intervals are log-normal around the typist's mean (120-300 ms)
 * and bursty: faster inside common bigrams and common words and when hands
 * alternate, slower for the same finger twice, digits and punctuation; a pause
 * before each word and the odd hesitation. Capitals and shifted symbols are
 * typed with Key.shift held from before the first press of a run to after its
 * last release. Typos hit a neighbouring key; the typist notices after 0-2
 * more keys, backspaces them all and retypes. Every prompt ends with enter.
 */
import type { Keystroke, Prompt } from "@emgkit/emg-io";
import type { Random } from "@emgkit/emg-transforms";
import { type Hand, type KeyPlacement, keyPlacement, neighbourLetters, typedKey } from "./keyboard";

/** How one simulated person types; drawn once per user. */
export interface TypistStyle {
  /** Median interval between presses inside a word, seconds. */
  meanIntervalS: number;
  /** Log-normal sigma of the intervals. */
  intervalSpread: number;
  /** Median press-to-release time, seconds. */
  holdS: number;
  /** Extra pause before a word, seconds (median). */
  wordPauseS: number;
  /** Probability that a letter is mistyped. */
  typoRate: number;
  /** The thumb that usually presses space. */
  spaceHand: Hand;
}

/** One key press with the finger that makes it, which drives the signal model. */
export interface KeyPress extends Keystroke {
  placement: KeyPlacement;
}

/** A prompt and its presses in time order. */
export interface TypedPrompt {
  prompt: Prompt;
  presses: KeyPress[];
}

const COMMON_BIGRAMS = new Set(
  "th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce".split(
    " ",
  ),
);
const COMMON_WORDS = new Set(
  "the of and to a in is that for it was on he with as his be at by i this had not are but from or have an they which you were her she there would their we him been has when who will more no if out so said what up its about than into them can only other new some could time these two may then do first any my now such like our over man me even most made after also did many before must through back years where much your way well down should because each just those people".split(
    " ",
  ),
);
/** Keys typed in a burst of backspaces are faster than text. */
const BACKSPACE_SPEEDUP = 0.7;
const MIN_INTERVAL_S = 0.035;

/** Draws a typist: mean interval 120-300 ms, typo rate 1-4 %, mostly right-thumb spacing. */
export function drawTypistStyle(random: Random): TypistStyle {
  return {
    meanIntervalS: random.uniform(0.12, 0.3),
    intervalSpread: random.uniform(0.25, 0.4),
    holdS: random.uniform(0.07, 0.12),
    wordPauseS: random.uniform(0.03, 0.15),
    typoRate: random.uniform(0.01, 0.04),
    spaceHand: random.next() < 0.75 ? 1 : 0,
  };
}

/** A character to type; `notice` marks the first backspace after a typo. */
interface Action {
  char: string;
  notice: boolean;
}

/**
 * The characters typed for `text`, typos and their corrections included,
 * ending with enter. `\b` is backspace, `\n` enter.
 */
export function plannedActions(text: string, typoRate: number, random: Random): Action[] {
  const chars = [...text];
  const actions: Action[] = [];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string;
    const neighbours = /^[a-z]$/.test(char) ? neighbourLetters(char) : [];
    if (neighbours.length > 0 && random.next() < typoRate) {
      const typedOn = Math.min(random.int(0, 3), chars.length - 1 - i);
      actions.push({ char: random.choice(neighbours), notice: false });
      for (let k = 1; k <= typedOn; k++)
        actions.push({ char: chars[i + k] as string, notice: false });
      for (let k = 0; k <= typedOn; k++) actions.push({ char: "\b", notice: k === 0 });
    }
    actions.push({ char, notice: false });
  }
  actions.push({ char: "\n", notice: false });
  return actions;
}

/**
 * Types `text`, shown from `shownAt` (unix seconds): returns the prompt record
 * (ending when enter has been released) and the presses, shift included,
 * sorted by press time. Characters not on the keyboard are skipped.
 */
export function typePrompt(
  text: string,
  shownAt: number,
  style: TypistStyle,
  random: Random,
): TypedPrompt {
  const presses: KeyPress[] = [];
  const actions = plannedActions(text, style.typoRate, random);
  // Reading the prompt before the first key.
  let t = shownAt + random.uniform(0.6, 1.8);
  let previous: KeyPress | undefined;
  let shift: KeyPress | undefined;
  let wordSpeed = 1;

  actions.forEach((action, i) => {
    const typed = typedKey(action.char);
    if (typed === undefined) return;
    const spaceHand: Hand = random.next() < 0.85 ? style.spaceHand : style.spaceHand === 1 ? 0 : 1;
    const placement = keyPlacement(typed.cap, spaceHand);
    const prevChar = i > 0 ? (actions[i - 1]?.char ?? "") : "";
    if (prevChar === " " || i === 0) {
      const common = COMMON_WORDS.has(wordAt(actions, i));
      wordSpeed = Math.exp(0.15 * random.normal()) * (common ? 0.8 : 1);
    }

    if (previous !== undefined) {
      let interval =
        style.meanIntervalS * wordSpeed * Math.exp(style.intervalSpread * random.normal());
      if (COMMON_BIGRAMS.has(prevChar.toLowerCase() + action.char.toLowerCase())) interval *= 0.7;
      const samePlace = previous.placement;
      if (samePlace.hand !== placement.hand) interval *= 0.85;
      else if (samePlace.finger === placement.finger && previous.key !== typed.key) interval *= 1.4;
      if (/[^a-zA-Z \n\b]/.test(action.char)) interval *= 1.3;
      if (action.char === "\b") interval *= BACKSPACE_SPEEDUP;
      if (prevChar === " ") interval += style.wordPauseS * Math.exp(0.5 * random.normal());
      if (action.notice) interval += random.uniform(0.25, 0.6);
      if (action.char === "\n") interval += random.uniform(0.1, 0.3);
      if (random.next() < 0.02) interval += random.uniform(0.4, 1.5); // hesitation
      t += Math.max(interval, MIN_INTERVAL_S);
    }

    if (typed.shifted && shift === undefined) {
      // Shift goes down first; the shifted key follows it.
      shift = { key: "Key.shift", start: t, end: t, placement: keyPlacement("Key.shift") };
      presses.push(shift);
      t += random.uniform(0.05, 0.12);
    } else if (!typed.shifted && shift !== undefined) {
      // Released before this key goes down, else the keylogger would record it shifted.
      shift.end = Math.max(previous?.start ?? t, Math.min(shift.end, t - 0.01));
      shift = undefined;
    }
    const hold = Math.min(0.25, Math.max(0.04, style.holdS * Math.exp(0.2 * random.normal())));
    previous = { key: typed.key, start: t, end: t + hold, placement };
    presses.push(previous);
    if (shift !== undefined) shift.end = previous.end + random.uniform(0.01, 0.06);
  });

  presses.sort((a, b) => a.start - b.start);
  const lastEnd = presses.reduce((end, press) => Math.max(end, press.end), t);
  return {
    prompt: { start: shownAt, end: lastEnd + random.uniform(0.05, 0.2), payload: { text } },
    presses,
  };
}

/** The word starting at action i (letters up to the next space), lower-case. */
function wordAt(actions: readonly Action[], i: number): string {
  let word = "";
  for (let k = i; k < actions.length; k++) {
    const char = actions[k]?.char ?? " ";
    if (!/[a-zA-Z]/.test(char)) break;
    word += char.toLowerCase();
  }
  return word;
}
