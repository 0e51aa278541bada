// The shape of a terminal screen as read from a pane's emulator: plain data the UI draws and
// detectors read. Produced by adapters/pty; never contains raw escape sequences.

/** A palette index 0..255, or a truecolor value as `#rrggbb`. Undefined means the default color. */
export type Color = number | string;

export interface Span {
  text: string;
  fg?: Color;
  bg?: Color;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

export interface ScreenLine {
  spans: Span[];
  /** This row continues the previous row: the terminal auto-wrapped a line longer than the width here. */
  wrapped?: true;
}

export interface ScreenSnapshot {
  cols: number;
  rows: number;
  /** The visible rows, top to bottom (exactly `rows` entries). */
  lines: ScreenLine[];
  cursor: { x: number; y: number; visible: boolean };
  title: string;
  /** Total lines in the buffer (scrollback + screen). */
  bufferLength: number;
  /** Index in the buffer of the first visible row. */
  viewportY: number;
  /** The program is drawing on the alternate screen (a full-screen app): nothing it draws there reaches the scrollback. */
  alternate: boolean;
  /** Rows at the top of `lines` read from above the viewport (a short pane read with its history). */
  above?: number;
}

/** Characters two cells wide as @xterm/headless counts them (its default Unicode 6 widths). */
const WIDE =
  /[\u1100-\u115F\u2329\u232A\u2E80-\u303E\u3041-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE10-\uFE19\uFE30-\uFE6F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{2FFFD}\u{30000}-\u{3FFFD}]/u;
/** Combining marks, zero-width spaces and joiners, variation selectors. */
const ZERO = /[\u0300-\u036F\u200B-\u200F\uFE00-\uFE0F]/u;

/** Cells one character takes on screen: 0, 1 or 2. */
export const charWidth = (ch: string): number => (ZERO.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1);

/** Cells `text` (plain, no escape sequences) takes on screen. */
export function cellWidth(text: string): number {
  let n = 0;
  for (const ch of text) n += charWidth(ch);
  return n;
}

/** Plain text of a snapshot line. */
export const lineText = (line: ScreenLine): string => line.spans.map((s) => s.text).join('');

/** Plain text of the visible screen, trailing blanks trimmed per line. */
export const screenText = (snap: ScreenSnapshot): string =>
  snap.lines.map((l) => lineText(l).trimEnd()).join('\n');

/**
 * The visible screen as logical lines: a row the terminal auto-wrapped (`wrapped`) is joined to the row
 * before it without a separator, so a line longer than the width reads as written. Trailing blanks are
 * trimmed per logical line. The first visible row may itself continue a row above the viewport.
 */
export function logicalLines(snap: ScreenSnapshot): string[] {
  const out: string[] = [];
  let acc: string | undefined;
  for (const line of snap.lines) {
    const text = lineText(line);
    if (line.wrapped && acc !== undefined) {
      acc += text;
      continue;
    }
    if (acc !== undefined) out.push(acc.trimEnd());
    acc = text;
  }
  if (acc !== undefined) out.push(acc.trimEnd());
  return out;
}
