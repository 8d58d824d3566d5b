/**
 * The ground-truth text aligned in time (`data-testid="ground-truth"`): with keystrokes
 * (`on_keyboard` sessions) each character of emg2qwerty's `LabelData` at its key's press time;
 * otherwise each prompt's cleaned text at the time it appeared. Characters show when there is
 * room for them; the track's `data-text` holds the visible text either way.
 */
import { LabelData, type Session } from "@emgkit/emg-io";
import { sampleToX } from "../app-context.js";
import { ElementPool } from "./element-pool.js";
import { type Frame, lowerBound, plotWidth } from "./frame.js";
import type { TimeMap } from "./time-map.js";

/** Characters need about this many CSS pixels each to be drawn. */
const CHAR_PX = 7;
/** Most character elements in the DOM at once. */
const MAX_CHARS = 600;

/** Pieces of ground-truth text at sample positions, in order. */
export interface TextPieces {
  samples: Float64Array;
  texts: string[];
}

/** The whole session's ground truth as pieces: characters at key presses, or prompts. */
export function groundTruthPieces(session: Session, times: TimeMap): TextPieces {
  const truth = session.groundTruth();
  if (truth.timestamps !== null) {
    const chars = [...truth.text];
    return {
      samples: Float64Array.from(truth.timestamps, (t) => times.sampleAt(t)),
      texts: chars,
    };
  }
  const prompts = session.prompts
    .filter((p) => Number.isFinite(p.start))
    .sort((a, b) => a.start - b.start)
    .map((p) => ({ start: p.start, text: LabelData.fromPrompt(p).text }))
    .filter((p) => p.text.length > 0);
  return {
    samples: Float64Array.from(prompts, (p) => times.sampleAt(p.start)),
    texts: prompts.map((p) => p.text),
  };
}

export class GroundTruthTrack {
  readonly element: HTMLDivElement;
  private readonly pool: ElementPool<HTMLSpanElement>;
  private readonly hint: HTMLDivElement;
  private pieces: TextPieces | null = null;
  private lastText = "";
  private lastFirst = -1;
  private lastLast = -1;

  constructor() {
    this.element = document.createElement("div");
    this.element.className = "track ground-truth-track";
    this.element.dataset.testid = "ground-truth";
    const name = document.createElement("div");
    name.className = "track-name";
    name.textContent = "ground truth";
    const layer = document.createElement("div");
    layer.className = "marks-layer";
    this.hint = document.createElement("div");
    this.hint.className = "track-hint";
    this.hint.hidden = true;
    this.element.append(name, layer, this.hint);
    this.pool = new ElementPool(layer, () => {
      const span = document.createElement("span");
      span.className = "gt-char";
      return span;
    });
  }

  setPieces(pieces: TextPieces | null): void {
    this.pieces = pieces;
    this.pool.reset();
    this.lastText = "";
    this.lastFirst = -1;
    this.lastLast = -1;
    this.element.dataset.text = "";
  }

  draw(frame: Frame): void {
    const pieces = this.pieces;
    if (pieces === null) {
      this.pool.finish(0);
      return;
    }
    const { range, width } = frame;
    const first = lowerBound(pieces.samples, range.start);
    const last = lowerBound(pieces.samples, range.end);
    const count = last - first;
    if (first !== this.lastFirst || last !== this.lastLast) {
      this.lastText = count === 0 ? "" : pieces.texts.slice(first, last).join("");
      this.element.dataset.text = this.lastText;
      this.lastFirst = first;
      this.lastLast = last;
    }
    const text = this.lastText;
    const room = plotWidth(width) / CHAR_PX;
    if (count > Math.min(MAX_CHARS, room) && text.length > 0) {
      this.pool.finish(0);
      this.hint.hidden = false;
      this.hint.textContent = `${text.length} characters: zoom in to read them`;
      return;
    }
    this.hint.hidden = true;
    for (let i = first; i < last; i++) {
      const element = this.pool.take(i - first, i, (e) => {
        e.textContent = pieces.texts[i] as string;
      });
      element.style.transform = `translateX(${sampleToX(pieces.samples[i] as number, range, width)}px)`;
    }
    this.pool.finish(count);
  }
}
