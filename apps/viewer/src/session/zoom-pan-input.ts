/**
 * Zoom and pan by hand: the wheel zooms about the pointer (with Shift, or sideways scrolling,
 * it pans; over the channel names it scrolls the page), dragging pans, and keys: ← → pan a
 * tenth of the view (with Shift half), + and − zoom, 0 shows the whole session, Home and End
 * go to its ends.
 */
import { GUTTER_PX, type ViewRange } from "../app-context.js";
import { samplesPerPixel, xToSample } from "./view-range.js";

/** What the input drives. */
export interface Navigable {
  /** The range now, or null with no session open. */
  current(): ViewRange | null;
  /** Width of the view, CSS pixels. */
  width(): number;
  zoomBy(factor: number, anchor?: number): void;
  panBy(samples: number): void;
  /** Moves to a range (clamped). */
  show(start: number, end: number): void;
  /** Samples in the session. */
  length(): number;
}

/** Zoom factor per wheel pixel (a 100-pixel notch zooms by 1.22). */
const WHEEL_ZOOM = 0.002;
/** Zoom factor of one key press or button click. */
export const ZOOM_STEP = 1.5;

/** Wires wheel and drag on `area`, and keys on the document while `area` is visible. */
export function attachZoomPan(area: HTMLElement, target: Navigable): void {
  area.addEventListener(
    "wheel",
    (event) => {
      const range = target.current();
      if (range === null) return;
      const box = area.getBoundingClientRect();
      // Over the gutter (channel names) the wheel scrolls the page as usual.
      if (event.clientX - box.left < GUTTER_PX) return;
      event.preventDefault();
      const spp = samplesPerPixel(range, target.width());
      const sideways = event.shiftKey ? event.deltaY || event.deltaX : event.deltaX;
      const scale = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? box.width : 1;
      if (sideways !== 0 && (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY))) {
        target.panBy(sideways * scale * spp);
        return;
      }
      const anchor = xToSample(event.clientX - box.left, range, target.width());
      target.zoomBy(Math.exp(event.deltaY * scale * WHEEL_ZOOM), anchor);
    },
    { passive: false },
  );

  let drag: { x: number; start: number; end: number; pointer: number } | null = null;
  area.addEventListener("pointerdown", (event) => {
    const range = target.current();
    if (range === null || event.button !== 0) return;
    if ((event.target as HTMLElement).closest("button, a, input")) return;
    drag = { x: event.clientX, start: range.start, end: range.end, pointer: event.pointerId };
    area.setPointerCapture(event.pointerId);
    area.classList.add("dragging");
  });
  area.addEventListener("pointermove", (event) => {
    if (drag === null || event.pointerId !== drag.pointer) return;
    const spp = samplesPerPixel(drag, target.width());
    const shift = (drag.x - event.clientX) * spp;
    target.show(drag.start + shift, drag.end + shift);
  });
  const stop = (event: PointerEvent) => {
    if (drag === null || event.pointerId !== drag.pointer) return;
    drag = null;
    area.classList.remove("dragging");
  };
  area.addEventListener("pointerup", stop);
  area.addEventListener("pointercancel", stop);

  document.addEventListener("keydown", (event) => {
    const range = target.current();
    if (range === null || area.offsetParent === null) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const focus = event.target as HTMLElement | null;
    if (focus?.closest("input, textarea, select, [contenteditable]")) return;
    const span = range.end - range.start;
    switch (event.key) {
      case "ArrowLeft":
        target.panBy(-span * (event.shiftKey ? 0.5 : 0.1));
        break;
      case "ArrowRight":
        target.panBy(span * (event.shiftKey ? 0.5 : 0.1));
        break;
      case "+":
      case "=":
        target.zoomBy(1 / ZOOM_STEP);
        break;
      case "-":
      case "_":
        target.zoomBy(ZOOM_STEP);
        break;
      case "0":
        target.show(0, target.length());
        break;
      case "Home":
        target.show(0, span);
        break;
      case "End":
        target.show(target.length() - span, target.length());
        break;
      default:
        return;
    }
    event.preventDefault();
  });
}
