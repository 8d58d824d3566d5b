/** Unicode code points of `text`, so that an astral character (e.g. an emoji) is one unit. */
export function toCodePoints(text: string): Int32Array {
  const points = new Int32Array(text.length);
  let count = 0;
  for (const character of text) {
    points[count++] = character.codePointAt(0) ?? 0;
  }
  return points.subarray(0, count);
}
