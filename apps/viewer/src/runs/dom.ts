/** Attributes of {@link el}: strings are set as attributes, functions as `on<event>` listeners. */
export type ElementProps = Record<string, string | boolean | undefined | ((event: Event) => void)>;

/**
 * A new element with attributes, event listeners (`onclick` -> `click`) and children (text
 * is added as text nodes, never parsed).
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") {
      element.addEventListener(key.replace(/^on/, ""), value);
    } else {
      element.setAttribute(key, value === true ? "" : value);
    }
  }
  for (const child of children) if (child !== null && child !== undefined) element.append(child);
  return element;
}

/** A `div` holding HTML made by this module's renderers (escaped Markdown, generated SVG). */
export function htmlBlock(className: string, html: string, testId?: string): HTMLDivElement {
  const div = el("div", { class: className, "data-testid": testId });
  div.innerHTML = html;
  return div;
}
