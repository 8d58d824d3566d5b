/**
 * The prompts shown to the typist, as bars from when each appeared to when it left the screen,
 * holding its text (`data-testid="prompt"`).
 */
import type { Prompt } from "@emgkit/emg-io";
import { GUTTER_PX, sampleToX } from "../app-context.js";
import { ElementPool } from "./element-pool.js";
import { type Frame, lowerBound } from "./frame.js";
import type { TimeMap } from "./time-map.js";

/** Prompts in time order, as fractional sample positions. */
export interface PromptSpans {
  start: Float64Array;
  end: Float64Array;
  texts: string[];
}

/** The session's prompts with text, sorted by start, in samples. */
export function promptSpans(prompts: readonly Prompt[], times: TimeMap): PromptSpans {
  const kept = prompts
    .filter((p) => Number.isFinite(p.start) && typeof p.payload?.text === "string")
    .sort((a, b) => a.start - b.start);
  return {
    start: Float64Array.from(kept, (p) => times.sampleAt(p.start)),
    end: Float64Array.from(kept, (p) => times.sampleAt(Number.isFinite(p.end) ? p.end : p.start)),
    texts: kept.map((p) => String(p.payload?.text)),
  };
}

export class PromptTrack {
  readonly element: HTMLDivElement;
  private readonly pool: ElementPool<HTMLDivElement>;
  private spans: PromptSpans | null = null;
  /** Running maximum of end positions, so a search by end time is a search on sorted values. */
  private reach = new Float64Array(0);

  constructor() {
    this.element = document.createElement("div");
    this.element.className = "track prompt-track";
    const name = document.createElement("div");
    name.className = "track-name";
    name.textContent = "prompts";
    const layer = document.createElement("div");
    layer.className = "marks-layer";
    this.element.append(name, layer);
    this.pool = new ElementPool(layer, () => {
      const element = document.createElement("div");
      element.className = "prompt";
      element.dataset.testid = "prompt";
      return element;
    });
  }

  setPrompts(spans: PromptSpans | null): void {
    this.spans = spans;
    this.pool.reset();
    this.reach = new Float64Array(spans?.end.length ?? 0);
    let max = Number.NEGATIVE_INFINITY;
    spans?.end.forEach((end, i) => {
      max = Math.max(max, end);
      this.reach[i] = max;
    });
  }

  draw(frame: Frame): void {
    const spans = this.spans;
    if (spans === null) {
      this.pool.finish(0);
      return;
    }
    const { range, width } = frame;
    const first = lowerBound(this.reach, range.start);
    const last = lowerBound(spans.start, range.end);
    let shown = 0;
    for (let i = first; i < last; i++) {
      if ((spans.end[i] as number) < range.start) continue;
      const x0 = Math.max(GUTTER_PX, sampleToX(spans.start[i] as number, range, width));
      const x1 = Math.min(width, sampleToX(spans.end[i] as number, range, width));
      const element = this.pool.take(shown, i, (e) => {
        e.textContent = spans.texts[i] as string;
        e.title = spans.texts[i] as string;
      });
      element.style.transform = `translateX(${x0}px)`;
      element.style.width = `${Math.max(2, x1 - x0)}px`;
      shown += 1;
    }
    this.pool.finish(shown);
  }
}
