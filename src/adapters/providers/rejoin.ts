// Puts text back together that an app wrapped itself inside a box or panel (the terminal's wrap flag
// is not set there, because the app moved to the next row on its own).
//
// This is a fallback. It is exact only when the app broke each row either at the right edge of its
// content area (mid-token) or at a single space; a space that fell exactly on the edge, several
// spaces at a break, or a newline in the text itself cannot be told apart on screen. Structured hook
// channels give the exact text and win over anything read off the screen; text the terminal wrapped
// (ScreenLine.wrapped) is joined exactly by core/screen `logicalLines` before this is needed.
import { cellWidth, charWidth } from '../../core/screen';

/** The part of `text` in cells [from, to) (to = end when omitted); a wide character straddling `from` is dropped. */
export function sliceCells(text: string, from: number, to = Infinity): string {
  let col = 0;
  let out = '';
  for (const ch of text) {
    const w = charWidth(ch);
    if (col >= from && col + w <= to) out += ch;
    col += w;
    if (col >= to) break;
  }
  return out;
}

/**
 * Joins the rows of one wrapped text. `rows` are the rows' contents starting at the left edge of the
 * content area; `width` is the content area's width in cells. A row whose text (trailing blanks
 * ignored) reaches the width was broken mid-token: the next row follows without a separator. A row
 * that ends short of it was broken at a space: one space goes between, unless the next row already
 * starts with one.
 */
export function joinWrappedRows(rows: readonly string[], width: number): string {
  let out = '';
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i].trimEnd();
    if (i === 0) {
      out = row;
      continue;
    }
    const prev = rows[i - 1].trimEnd();
    const brokeAtEdge = cellWidth(prev) >= width;
    out += brokeAtEdge || /^\s/.test(row) ? row : ` ${row}`;
  }
  return out;
}
