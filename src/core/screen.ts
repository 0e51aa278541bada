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
