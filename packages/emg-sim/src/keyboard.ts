/**
 * The finger map: a US QWERTY keyboard typed by touch typing. Each key has the
 * hand and finger that press it and the reach from that finger's home key
 * (row and sideways), which decide the muscles a press activates.
 */

/** 0 = left hand (band 0), 1 = right hand (band 1). */
export type Hand = 0 | 1;

/** Fingers in the finger-CSV label order, minus rest. */
export const FINGERS = ["thumb", "index", "middle", "ring", "pinky"] as const;
/** 0 thumb, 1 index, 2 middle, 3 ring, 4 pinky. */
export type Finger = 0 | 1 | 2 | 3 | 4;

/** Where a key lies relative to the finger's home key. */
export interface KeyPlacement {
  hand: Hand;
  finger: Finger;
  /** -2 number row, -1 top row, 0 home row, 1 bottom row (thumb keys: 0). */
  row: number;
  /** Columns away from the finger's home column, toward the middle (index) or the edge (pinky). */
  reach: number;
}

/** A typeable character: the key name the keylogger records and whether shift is held. */
export interface TypedKey {
  /** pynput name: the character itself ("a", "A", "!"), or "Key.space" etc. */
  key: string;
  /** The key cap that is pressed, e.g. "a" for both "a" and "A", "1" for "!". */
  cap: string;
  shifted: boolean;
}

/** Rows from the number row down: unshifted caps, then their shifted characters. */
const ROWS: ReadonlyArray<readonly [string, string]> = [
  ["`1234567890-=", "~!@#$%^&*()_+"],
  ["qwertyuiop[]\\", "QWERTYUIOP{}|"],
  ["asdfghjkl;'", 'ASDFGHJKL:"'],
  ["zxcvbnm,./", "ZXCVBNM<>?"],
];
/** Horizontal offset of each row's first key, in key widths (the stagger). */
const ROW_OFFSETS = [0, 1.5, 1.75, 2.25];

/**
 * Hand, finger and reach of the key in `row` (0 = number row) and `column`
 * of ROWS, by the touch-typing finger of its letter column.
 */
function placeColumn(row: number, column: number): KeyPlacement {
  // Columns of the home-row letters, as typists reach from them: the number
  // row is shifted one column left of the letters (key "1" sits above "q").
  const letterColumn = row === 0 ? column - 1 : column;
  // [hand, finger, columns reached inward] of each letter column.
  const table: ReadonlyArray<readonly [Hand, Finger, number]> = [
    [0, 4, 0], // q a z / 1
    [0, 3, 0], // w s x / 2
    [0, 2, 0], // e d c / 3
    [0, 1, 0], // r f v / 4
    [0, 1, 1], // t g b / 5
    [1, 1, 1], // y h n / 6
    [1, 1, 0], // u j m / 7
    [1, 2, 0], // i k , / 8
    [1, 3, 0], // o l . / 9
    [1, 4, 0], // p ; / / 0
  ];
  const rowFromHome = row - 2;
  if (letterColumn < 0) return { hand: 0, finger: 4, row: rowFromHome, reach: 1 }; // ` and ~
  const entry = table[Math.min(letterColumn, table.length - 1)] as readonly [Hand, Finger, number];
  const [hand, finger, inner] = entry;
  // Keys right of the right pinky's column are reached outward: [ ] \ ' - =.
  const outer = Math.max(0, letterColumn - (table.length - 1));
  return { hand, finger, row: rowFromHome, reach: inner + outer };
}

const PLACEMENTS = new Map<string, KeyPlacement>();
const POSITIONS = new Map<string, readonly [number, number]>();
const TYPED = new Map<string, TypedKey>();
ROWS.forEach(([plain, shifted], row) => {
  [...plain].forEach((cap, column) => {
    PLACEMENTS.set(cap, placeColumn(row, column));
    POSITIONS.set(cap, [(ROW_OFFSETS[row] ?? 0) + column, row]);
    TYPED.set(cap, { key: cap, cap, shifted: false });
    const upper = shifted[column];
    if (upper !== undefined) TYPED.set(upper, { key: upper, cap, shifted: true });
  });
});
// Special keys, named as pynput names them. Space goes to a thumb chosen per press.
PLACEMENTS.set("Key.enter", { hand: 1, finger: 4, row: 0, reach: 2 });
PLACEMENTS.set("Key.backspace", { hand: 1, finger: 4, row: -2, reach: 3 });
PLACEMENTS.set("Key.shift", { hand: 0, finger: 4, row: 1, reach: 1 });
TYPED.set(" ", { key: "Key.space", cap: "Key.space", shifted: false });
TYPED.set("\n", { key: "Key.enter", cap: "Key.enter", shifted: false });
TYPED.set("\b", { key: "Key.backspace", cap: "Key.backspace", shifted: false });

/** How a character is typed, or undefined for characters not on the keyboard. */
export function typedKey(char: string): TypedKey | undefined {
  return TYPED.get(char);
}

/**
 * Hand, finger and reach of a key cap (`TypedKey.cap`). Space is pressed by
 * the thumb of `spaceHand`.
 */
export function keyPlacement(cap: string, spaceHand: Hand = 1): KeyPlacement {
  if (cap === "Key.space") return { hand: spaceHand, finger: 0, row: 0, reach: 0 };
  const placement = PLACEMENTS.get(cap);
  if (placement === undefined) throw new RangeError(`no finger for key cap ${JSON.stringify(cap)}`);
  return placement;
}

/** Lower-case letters next to `letter` on the keyboard (the likely typos), in keyboard order. */
export function neighbourLetters(letter: string): string[] {
  const at = POSITIONS.get(letter);
  if (at === undefined) return [];
  const neighbours: string[] = [];
  for (const [cap, position] of POSITIONS) {
    if (cap === letter || !/^[a-z]$/.test(cap)) continue;
    const distance = Math.hypot(position[0] - at[0], position[1] - at[1]);
    if (distance < 1.3) neighbours.push(cap);
  }
  return neighbours;
}
