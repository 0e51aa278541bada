// Reads an xterm buffer into plain screen data: cells become color spans, runs of equal style merged.
import type { IBuffer, IBufferCell, IBufferLine } from '@xterm/headless';
import type { Color, ScreenLine, Span } from '../../core/screen';

type Style = Omit<Span, 'text'>;

const hex = (rgb: number): string => `#${rgb.toString(16).padStart(6, '0')}`;

function fgOf(cell: IBufferCell): Color | undefined {
  if (cell.isFgDefault()) return undefined;
  return cell.isFgRGB() ? hex(cell.getFgColor()) : cell.getFgColor();
}

function bgOf(cell: IBufferCell): Color | undefined {
  if (cell.isBgDefault()) return undefined;
  return cell.isBgRGB() ? hex(cell.getBgColor()) : cell.getBgColor();
}

function styleOf(cell: IBufferCell): Style {
  const s: Style = {};
  const fg = fgOf(cell);
  const bg = bgOf(cell);
  if (fg !== undefined) s.fg = fg;
  if (bg !== undefined) s.bg = bg;
  if (cell.isBold()) s.bold = true;
  if (cell.isDim()) s.dim = true;
  if (cell.isItalic()) s.italic = true;
  if (cell.isUnderline()) s.underline = true;
  if (cell.isInverse()) s.inverse = true;
  return s;
}

const sameStyle = (a: Style, b: Style): boolean =>
  a.fg === b.fg &&
  a.bg === b.bg &&
  a.bold === b.bold &&
  a.dim === b.dim &&
  a.italic === b.italic &&
  a.underline === b.underline &&
  a.inverse === b.inverse;

export function lineToSpans(line: IBufferLine | undefined, cols: number, cell: IBufferCell): ScreenLine {
  if (!line) return { spans: [{ text: ' '.repeat(cols) }] };
  const spans: Span[] = [];
  let cur: Span | undefined;
  const width = Math.min(cols, line.length);
  for (let x = 0; x < width; x++) {
    const c = line.getCell(x, cell);
    if (!c || c.getWidth() === 0) continue;
    const text = c.getChars() || ' ';
    const style = styleOf(c);
    if (cur && sameStyle(cur, style)) {
      cur.text += text;
    } else {
      cur = { text, ...style };
      spans.push(cur);
    }
  }
  if (width < cols) spans.push({ text: ' '.repeat(cols - width) });
  return line.isWrapped ? { spans, wrapped: true } : { spans };
}

export function readBufferLines(buf: IBuffer, start: number, end: number, cols: number, cell: IBufferCell): ScreenLine[] {
  const from = Math.max(0, start);
  const to = Math.min(buf.length, end);
  const out: ScreenLine[] = [];
  for (let y = from; y < to; y++) out.push(lineToSpans(buf.getLine(y), cols, cell));
  return out;
}

/** Whole buffer as text: wrapped rows joined, trailing blanks per line and trailing blank lines trimmed. */
export function bufferText(buf: IBuffer): string {
  const lines: string[] = [];
  let acc = '';
  for (let y = 0; y < buf.length; y++) {
    const line = buf.getLine(y);
    if (!line) continue;
    const next = buf.getLine(y + 1);
    if (next?.isWrapped) {
      acc += line.translateToString(false);
    } else {
      lines.push((acc + line.translateToString(true)).trimEnd());
      acc = '';
    }
  }
  if (acc) lines.push(acc.trimEnd());
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}
