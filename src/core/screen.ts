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
