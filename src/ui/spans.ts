// Screen spans to drawable pieces: sanitized text, Ink colors, search marks, the cursor cell,
// clipped to the pane's width in terminal cells.
import type { Color, Span } from '../core/screen';
import { sanitize } from './sanitize';

const ANSI16 = [
  'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white',
  'blackBright', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright',
];

/** A snapshot color as an Ink color string (named, `ansi256(n)` or `#rrggbb`). */
export function inkColor(c: Color | undefined): string | undefined {
  if (c === undefined) return undefined;
  if (typeof c === 'number') {
    if (!Number.isInteger(c) || c < 0 || c > 255) return undefined;
    return c < 16 ? ANSI16[c] : `ansi256(${c})`;
  }
  return /^#[0-9a-f]{6}$/i.test(c) ? c : undefined;
}

export type Mark = 'match' | 'current' | 'cursor';

export interface Piece extends Span {
  mark?: Mark;
}

export interface MarkRange {
  /** String index in the line's text. */
  col: number;
  length: number;
  mark: Mark;
}

/** Split spans at mark boundaries so marked text can be drawn differently. */
export function markSpans(spans: readonly Span[], ranges: readonly MarkRange[]): Piece[] {
  if (ranges.length === 0) return spans.slice();
  const out: Piece[] = [];
  let pos = 0;
  for (const span of spans) {
    const start = pos;
    const end = pos + span.text.length;
    pos = end;
    const cuts = new Set([start, end]);
    for (const r of ranges) {
      if (r.col > start && r.col < end) cuts.add(r.col);
      if (r.col + r.length > start && r.col + r.length < end) cuts.add(r.col + r.length);
    }
    const points = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i + 1 < points.length; i++) {
      const [a, b] = [points[i], points[i + 1]];
      const hit = ranges.filter((r) => r.col <= a && r.col + r.length >= b);
      const mark = hit.find((r) => r.mark === 'cursor')?.mark ?? hit.find((r) => r.mark === 'current')?.mark ?? hit[0]?.mark;
      out.push({ ...span, text: span.text.slice(a - start, b - start), mark });
    }
  }
  return out;
}

const cellWidth = (cp: number): number => {
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd)
  ) return 2;
  return 1;
};

/** Sanitize every piece and keep at most `width` cells. */
export function clipPieces(pieces: readonly Piece[], width: number): Piece[] {
  const out: Piece[] = [];
  let used = 0;
  for (const p of pieces) {
    if (used >= width) break;
    let text = '';
    for (const ch of sanitize(p.text)) {
      const w = cellWidth(ch.codePointAt(0) ?? 0);
      if (used + w > width) {
        used = width;
        break;
      }
      text += ch;
      used += w;
    }
    if (text) out.push({ ...p, text });
  }
  return out;
}
