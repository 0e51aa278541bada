// Short human formats for the header and board.
import { formatDuration } from '../core/duration';

/** Elapsed time between two instants, `…` when it has not started. */
export function elapsed(start: number | undefined, end: number | undefined, now: number): string {
  if (start === undefined) return '';
  return formatDuration(Math.max(0, (end ?? now) - start));
}

/** `mm:ss` or `h:mm:ss`. */
export function clockTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/** Cut a plain string to `width` cells, with an ellipsis when it was longer. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}
