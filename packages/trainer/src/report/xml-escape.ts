/**
 * Escapes text for XML character data and attribute values alike, so series names and
 * titles such as `loss <train> & "val"` cannot break a figure's markup.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
