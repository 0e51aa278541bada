// Finding text in a pane's buffer and scrolling so a match is on screen.
import type { Match } from './ui-state';

/** Case-insensitive matches of `query` in buffer lines, top to bottom. */
export function findMatches(lines: readonly string[], query: string): Match[] {
  const q = query.toLowerCase();
  if (!q) return [];
  const out: Match[] = [];
  lines.forEach((text, line) => {
    const t = text.toLowerCase();
    for (let col = t.indexOf(q); col >= 0; col = t.indexOf(q, col + q.length)) out.push({ line, col, length: q.length });
  });
  return out;
}

/** The scroll offset (lines above the live screen) that puts buffer line `line` mid-screen. */
export function scrollFor(line: number, bufferLength: number, rows: number): number {
  const max = Math.max(0, bufferLength - rows);
  const bottomTop = bufferLength - rows;
  return Math.max(0, Math.min(max, bottomTop - line + Math.floor(rows / 2)));
}
