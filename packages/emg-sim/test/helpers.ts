/** Charset text with its backspaces applied and shift marks removed: what ends up on screen. */
export function applyCorrections(text: string): string {
  const out: string[] = [];
  for (const char of text) {
    if (char === "⌫") out.pop();
    else if (char !== "⇧") out.push(char);
  }
  return out.join("");
}

/** RMS of channels [from, to) of a (T, 32) buffer over samples [start, end). */
export function rms(
  emg: Float32Array,
  start: number,
  end: number,
  from: number,
  to: number,
): number {
  let sum = 0;
  let count = 0;
  for (let t = Math.max(0, start); t < end && t * 32 < emg.length; t++) {
    for (let c = from; c < to; c++) {
      const v = emg[t * 32 + c] ?? 0;
      sum += v * v;
      count++;
    }
  }
  return Math.sqrt(sum / Math.max(1, count));
}
