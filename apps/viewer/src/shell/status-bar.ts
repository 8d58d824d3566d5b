/**
 * One line at the bottom of the page for what is happening and what went wrong
 * (`data-testid="status"`, `data-kind` "info" | "error"). Uncaught errors and rejected promises
 * land here too, so no error is only in the console.
 */
export type StatusKind = "info" | "error";

export class StatusBar {
  readonly element: HTMLDivElement;

  constructor() {
    this.element = document.createElement("div");
    this.element.className = "status-bar";
    this.element.dataset.testid = "status";
    this.element.setAttribute("role", "status");
    this.show("Ready.");
  }

  show(text: string, kind: StatusKind = "info"): void {
    const line = text.split("\n")[0] ?? "";
    this.element.textContent = line;
    this.element.title = text;
    this.element.dataset.kind = kind;
  }

  error(error: unknown, prefix = ""): void {
    this.show(`${prefix}${errorMessage(error)}`, "error");
  }

  /** Shows uncaught errors and unhandled rejections of the whole page. */
  catchUncaught(): void {
    window.addEventListener("error", (event) => this.error(event.error ?? event.message));
    window.addEventListener("unhandledrejection", (event) => this.error(event.reason));
  }
}

/** An error's message on one line. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split("\n")[0] ?? text).trim() || "unknown error";
}
