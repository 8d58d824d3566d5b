/**
 * Reused DOM elements for marks that move on every frame (keystrokes, prompts, characters):
 * a draw takes elements 0..n-1 and hides the rest, so panning creates no elements once the
 * pool has grown to the most ever shown.
 */
export class ElementPool<E extends HTMLElement> {
  private readonly elements: E[] = [];
  /** What each element shows now (an index into the caller's items), to skip unchanged text. */
  private readonly shows: number[] = [];
  private used = 0;

  constructor(
    private readonly parent: HTMLElement,
    private readonly make: () => E,
  ) {}

  /**
   * Element `i` of this draw, shown. `item` identifies what it displays: `fill` runs only when
   * the element showed something else before.
   */
  take(i: number, item: number, fill: (element: E) => void): E {
    let element = this.elements[i];
    if (element === undefined) {
      element = this.make();
      this.elements.push(element);
      this.shows.push(-1);
      this.parent.append(element);
    }
    if (i >= this.used) element.hidden = false;
    if (this.shows[i] !== item) {
      fill(element);
      this.shows[i] = item;
    }
    return element;
  }

  /** Hides the elements from `count` on (call after taking `count` elements). */
  finish(count: number): void {
    for (let i = count; i < this.used; i++) (this.elements[i] as E).hidden = true;
    this.used = count;
  }

  /** Hides all and forgets what they showed (a new session). */
  reset(): void {
    this.finish(0);
    this.shows.fill(-1);
  }
}
