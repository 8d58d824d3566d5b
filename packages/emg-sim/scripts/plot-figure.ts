/**
 * Draws docs/figure.svg: a few seconds of a simulated session, four
 * electrodes of each band, with the keystrokes marked and labelled.
 *   node --import tsx scripts/plot-figure.ts [OUT.svg]
 * No plotting library: traces are min/max-decimated polylines.
 */
import { writeFileSync } from "node:fs";
import { keyPlacement, simulateSession, typedKey } from "../src/index";

const out = process.argv[2] ?? new URL("../docs/figure.svg", import.meta.url).pathname;
const SECONDS = 4;
const WIDTH = 1000;
const TRACE_HEIGHT = 44;
const LEFT_MARGIN = 70;
const TOP = 40;
const CHANNELS_SHOWN = [2, 6, 10, 14];
const RATE = 2000;

const session = simulateSession({ seed: 1, durationMinutes: 0.5 });
const t0 = session.time[0] ?? 0;
const firstKey = session.keystrokes[0]?.start ?? t0;
const from = Math.round((firstKey - t0 + 0.5) * RATE);
const frames = SECONDS * RATE;
const x = (sample: number) => LEFT_MARGIN + (sample / frames) * (WIDTH - LEFT_MARGIN - 10);

const traces: string[] = [];
const labels: string[] = [];
let row = 0;
for (const band of [0, 1]) {
  for (const channel of CHANNELS_SHOWN) {
    const middle = TOP + row * TRACE_HEIGHT + TRACE_HEIGHT / 2;
    const color = band === 0 ? "#1f77b4" : "#d62728";
    const points: string[] = [];
    // Two points (min, max) per pixel column keep every burst visible.
    const perColumn = Math.ceil(frames / (WIDTH - LEFT_MARGIN));
    for (let start = 0; start < frames; start += perColumn) {
      let low = Infinity;
      let high = -Infinity;
      for (let s = start; s < Math.min(frames, start + perColumn); s++) {
        const value = session.emg[(from + s) * 32 + band * 16 + channel] ?? 0;
        low = Math.min(low, value);
        high = Math.max(high, value);
      }
      const scale = TRACE_HEIGHT / 160; // ±80 µV fill a trace
      points.push(`${x(start).toFixed(1)},${(middle - high * scale).toFixed(1)}`);
      points.push(`${x(start).toFixed(1)},${(middle - low * scale).toFixed(1)}`);
    }
    traces.push(
      `<polyline fill="none" stroke="${color}" stroke-width="0.7" points="${points.join(" ")}"/>`,
    );
    labels.push(
      `<text x="4" y="${middle + 4}" font-size="11">${band === 0 ? "L" : "R"} e${channel}</text>`,
    );
    row++;
  }
}

const bottom = TOP + row * TRACE_HEIGHT;
const marks: string[] = [];
for (const k of session.keystrokes) {
  const sample = Math.round((k.start - t0) * RATE) - from;
  if (sample < 0 || sample >= frames) continue;
  const cap = typedKey(k.key === "Key.space" ? " " : k.key)?.cap ?? k.key;
  const hand = keyPlacement(cap).hand;
  const label = k.key.startsWith("Key.")
    ? ({ "Key.space": "␣", "Key.shift": "⇧", "Key.backspace": "⌫", "Key.enter": "⏎" }[k.key] ?? "?")
    : k.key;
  const color = hand === 0 ? "#1f77b4" : "#d62728";
  marks.push(
    `<line x1="${x(sample).toFixed(1)}" y1="${TOP - 4}" x2="${x(sample).toFixed(1)}" y2="${bottom}" stroke="${color}" stroke-opacity="0.35" stroke-dasharray="3,3"/>`,
    `<text x="${x(sample).toFixed(1)}" y="${TOP - 8}" font-size="12" text-anchor="middle" fill="${color}">${escapeXml(label)}</text>`,
  );
}
const ticks: string[] = [];
for (let s = 0; s <= SECONDS; s++) {
  ticks.push(
    `<text x="${x(s * RATE).toFixed(1)}" y="${bottom + 16}" font-size="11" text-anchor="middle">${s} s</text>`,
  );
}
const height = bottom + 44;
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">
<title>Four seconds of a simulated emg2qwerty-style session with its keystrokes</title>
<rect width="100%" height="100%" fill="white"/>
${marks.join("\n")}
${traces.join("\n")}
${labels.join("\n")}
${ticks.join("\n")}
<text x="${LEFT_MARGIN}" y="${bottom + 36}" font-size="11">Simulated session (seed 1): electrodes 2, 6, 10, 14 of the left (blue) and right (red) band, ±80 µV per trace; dashed: key presses, coloured by hand.</text>
</svg>
`;
writeFileSync(out, svg);
console.log(`${out}: ${svg.length} bytes`);

function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
