/**
 * Files from the user: an "Open file" button and drag and drop anywhere on the page. Only the
 * first dropped file is opened; anything that is not an HDF5 session is refused by the reader
 * with a one-line error.
 */

/** Makes the "Open file" button (with its hidden file input). */
export function openFileButton(onFile: (file: File) => void): HTMLElement {
  const label = document.createElement("label");
  label.className = "open-file";
  label.dataset.testid = "open-file";
  const input = document.createElement("input");
  input.type = "file";
  input.accept = ".hdf5,.h5,.hdf";
  input.hidden = true;
  input.dataset.testid = "file-input";
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    if (file !== undefined) onFile(file);
    input.value = "";
  });
  label.append("Open file", input);
  return label;
}

/** Accepts files dropped anywhere on `target`, with an overlay while dragging. */
export function acceptDrops(target: HTMLElement, onFile: (file: File) => void): void {
  const overlay = document.createElement("div");
  overlay.className = "drop-overlay";
  overlay.textContent = "Drop an .hdf5 session to open it";
  overlay.hidden = true;
  target.append(overlay);
  let depth = 0;
  const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes("Files") ?? false;
  target.addEventListener("dragenter", (event) => {
    if (!hasFiles(event)) return;
    depth += 1;
    overlay.hidden = false;
  });
  target.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) overlay.hidden = true;
  });
  target.addEventListener("dragover", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
  });
  target.addEventListener("drop", (event) => {
    event.preventDefault();
    depth = 0;
    overlay.hidden = true;
    const file = event.dataTransfer?.files[0];
    if (file !== undefined) onFile(file);
  });
}
