/**
 * A one-line progress bar on stderr with a count and an ETA, drawn only when
 * stderr is a terminal, so logs and pipes stay clean.
 */
export function progressBar(label: string): (done: number, total: number) => void {
  const started = Date.now();
  const stream = process.stderr;
  return (done, total) => {
    if (!stream.isTTY || total === 0) return;
    const width = 30;
    const filled = Math.round((done / total) * width);
    const elapsed = (Date.now() - started) / 1000;
    const eta = done > 0 ? (elapsed / done) * (total - done) : 0;
    const bar = `${"#".repeat(filled)}${"-".repeat(width - filled)}`;
    stream.write(`\r${label} [${bar}] ${done}/${total} ETA ${eta.toFixed(0)}s `);
    if (done === total) stream.write("\n");
  };
}
