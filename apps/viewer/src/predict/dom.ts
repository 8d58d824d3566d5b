/** Small DOM helpers of the predict panels, and their styles (injected once). */

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; title?: string; testid?: string } = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title) node.title = props.title;
  if (props.testid) node.dataset.testid = props.testid;
  node.append(...children);
  return node;
}

/**
 * Lets the page handle events, timers and paint before the next chunk of work (a plain task, so
 * the session view's timers run too, which `scheduler.yield`'s prioritised continuation starves).
 */
export function yieldToPage(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Accepts files dropped on `target` (and not on the page behind it: the shell opens sessions
 * dropped elsewhere), highlighting it while dragging.
 */
export function acceptPanelDrops(target: HTMLElement, onFiles: (files: File[]) => void): void {
  let depth = 0;
  const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes("Files") ?? false;
  target.addEventListener("dragenter", (event) => {
    if (!hasFiles(event)) return;
    event.stopPropagation();
    depth++;
    target.classList.add("predict-dragging");
  });
  target.addEventListener("dragleave", (event) => {
    if (!hasFiles(event)) return;
    event.stopPropagation();
    depth = Math.max(0, depth - 1);
    if (depth === 0) target.classList.remove("predict-dragging");
  });
  target.addEventListener("dragover", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.stopPropagation();
    if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
  });
  target.addEventListener("drop", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.stopPropagation();
    depth = 0;
    target.classList.remove("predict-dragging");
    onFiles([...(event.dataTransfer?.files ?? [])]);
  });
}

const CSS = `
.predict-box {
  position: relative;
  background: #fff;
  border: 1px solid var(--border, #d8d8d8);
  border-radius: 4px;
}
.predict-box.predict-dragging {
  outline: 3px dashed var(--accent, #1f6fb2);
  outline-offset: -3px;
}
.predict-bar {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 6px 12px;
  padding: 6px 10px;
  border-bottom: 1px solid #eee;
}
.predict-bar .predict-title { font-weight: 600; }
.predict-bar select { max-width: 360px; }
.predict-bar input[type="number"] { width: 4.5em; }
.predict-bar label { white-space: nowrap; }
.predict-muted { color: var(--muted, #777); }
.predict-error { color: var(--error, #b3261e); }
.predict-info { color: var(--muted, #777); font-size: 12px; }
.predict-summary { padding: 2px 10px; }
.predict-summary:empty { display: none; }
.predict-file {
  padding: 1px 8px;
  border: 1px solid var(--accent, #1f6fb2);
  border-radius: 4px;
  color: var(--accent, #1f6fb2);
  cursor: pointer;
}
.predict-progress { width: 140px; }
.predict-heatmap {
  position: relative;
  border-bottom: 1px solid #eee;
}
.predict-heatmap canvas {
  display: block;
  width: 100%;
  height: 198px;
  image-rendering: pixelated;
}
.predict-gutter-label {
  position: absolute;
  left: 6px;
  font-size: 11px;
  color: #555;
  pointer-events: none;
}
.predict-tracks canvas { display: block; }
.predict-legend {
  display: flex;
  flex-wrap: wrap;
  gap: 4px 14px;
  padding: 4px 10px;
  font-size: 12px;
  color: #555;
}
.predict-swatch {
  display: inline-block;
  width: 10px;
  height: 10px;
  margin-right: 4px;
  vertical-align: -1px;
  border-radius: 2px;
}
.predict-rates {
  border-collapse: collapse;
  margin: 4px 10px 8px;
  font-size: 13px;
  font-variant-numeric: tabular-nums;
}
.predict-rates th, .predict-rates td {
  padding: 2px 10px;
  text-align: right;
  border-bottom: 1px solid #eee;
}
.predict-rates th:first-child, .predict-rates td:first-child { text-align: left; }
.predict-aligned {
  margin: 0 10px 8px;
  max-height: 220px;
  overflow: auto;
  font: 13px/1.6 ui-monospace, SFMono-Regular, Menlo, monospace;
  white-space: pre-wrap;
  word-break: break-all;
}
.predict-aligned .sub { background: #f6b26b; }
.predict-aligned .del { background: #ea6a5a; text-decoration: line-through; }
.predict-aligned .ins { color: #1f4f86; outline: 1px solid #1f4f86; background: #e3eef9; }
.predict-aligned h4 { margin: 6px 0 2px; font: 600 12px system-ui, sans-serif; color: #555; }
.predict-empty { padding: 10px; color: var(--muted, #777); }
.stream-text {
  min-height: 3.2em;
  max-height: 10em;
  overflow: auto;
  margin: 6px 10px;
  padding: 6px 8px;
  background: #f7f9fb;
  border-radius: 4px;
  font: 15px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace;
  white-space: pre-wrap;
  word-break: break-all;
}
.stream-text .fresh { background: #fff1a8; }
.stream-truth { color: #666; background: #fafafa; }
.stream-row-label { margin: 6px 10px 0; font-size: 12px; color: #555; }
.stream-metrics {
  display: flex;
  flex-wrap: wrap;
  gap: 4px 18px;
  padding: 4px 10px 8px;
  font-size: 13px;
  font-variant-numeric: tabular-nums;
}
.stream-metrics b { font-weight: 600; }
.stream-speed button.active { background: #e3eef9; border-color: var(--accent, #1f6fb2); }
`;

let injected = false;

/** Adds the panels' styles to the page once. */
export function injectStyles(): void {
  if (injected) return;
  injected = true;
  const style = document.createElement("style");
  style.dataset.owner = "predict";
  style.textContent = CSS;
  document.head.append(style);
}
