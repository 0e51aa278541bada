// What the approval overlay writes, as plain text: the command wrapped to the overlay's width (never
// truncated: what does not fit is scrolled), the countdown, and who decided an approval and how.
// Pure, so the layout can reserve the overlay's exact height and the keys know how far it scrolls.
import type { ApprovalState } from '../core/state';
import { plainLine } from './sanitize';

/** Command lines the overlay shows at most; the rest scrolls. */
export const COMMAND_ROWS = 6;

/** Columns a character takes in a terminal: 0 for combining marks, 2 for wide (CJK, emoji), else 1. */
export function cellWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (/\p{Mn}|\p{Me}|\u200d/u.test(ch)) return 0;
  if (/\p{Extended_Pictographic}/u.test(ch) && cp > 0x2fff) return 2;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

/**
 * One line cut into pieces of at most `width` columns. A piece ends after a space when one is in its
 * second half, else it is cut hard; joined back, the pieces are the line (spaces included).
 */
export function wrapLine(line: string, width: number): string[] {
  const w = Math.max(1, width);
  const chars = [...line];
  const out: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let used = 0;
    let end = start;
    while (end < chars.length && used + cellWidth(chars[end]) <= w) used += cellWidth(chars[end++]);
    if (end === start) end = start + 1;
    if (end < chars.length && chars[end] !== ' ') {
      for (let k = end - 1; k > start + Math.floor((end - start) / 2); k--) {
        if (chars[k] === ' ') {
          end = k + 1;
          break;
        }
      }
    }
    out.push(chars.slice(start, end).join(''));
    start = end;
  }
  return out.length ? out : [''];
}

/** The whole command as the overlay shows it: its own lines kept, each made safe to draw and wrapped to `width`. */
export function commandLines(command: string, width: number): string[] {
  return command
    .replace(/\r\n?/g, '\n')
    .replace(/\n+$/, '')
    .split('\n')
    .flatMap((l) => wrapLine(plainLine(l), width));
}

/** Columns inside the overlay's border and padding, and for the command after its `$ ` prefix. */
export const overlayInnerWidth = (width: number): number => Math.max(1, width - 4);
export const commandWidth = (width: number): number => Math.max(1, overlayInnerWidth(width) - 2);

/** The overlay's rows besides the command: border, title, detection, status lines (offscreen, countdown), details, keys. */
function fixedRows(a: ApprovalState, details: boolean): number {
  const status = (a.offscreen ? 1 : 0) + (a.deadline !== undefined && a.onTimeout ? 1 : 0);
  return 2 + 1 + 1 + status + (details ? 3 : 0) + 1;
}

/**
 * How many command lines the overlay shows at once: all of them up to COMMAND_ROWS, fewer when the
 * overlay would be taller than `maxRows` (a small terminal), never less than one.
 */
export function visibleCommandRows(a: ApprovalState, details: boolean, width: number, maxRows = Infinity): number {
  const lines = commandLines(a.command, commandWidth(width)).length;
  return Math.max(1, Math.min(COMMAND_ROWS, lines, maxRows - fixedRows(a, details)));
}

/** The overlay's height, so the layout reserves exactly it. */
export function approvalOverlayRows(a: ApprovalState | undefined, details: boolean, width: number, maxRows = Infinity): number {
  return a ? fixedRows(a, details) + visibleCommandRows(a, details, width, maxRows) : 0;
}

/** Seconds as `42s`, `2m05s`, `1h02m`. */
export function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The policy timeout, as the overlay says it: `decides deny in 42s`. */
export function deadlineText(a: Pick<ApprovalState, 'deadline' | 'onTimeout' | 'offscreen'>, now: number): string | undefined {
  if (a.deadline === undefined || !a.onTimeout) return undefined;
  const left = a.deadline - now;
  if (left > 0) return `decides ${a.onTimeout} in ${countdown(left)} (policy timeout)`;
  return a.offscreen ? `decides ${a.onTimeout} once the prompt is back (policy timeout passed)` : `decides ${a.onTimeout} now (policy timeout)`;
}

export const OFFSCREEN_TEXT = "the prompt left the agent's screen — waiting for it to come back";

/** Who decided and how: `you`, `you (typed in the pane)`, `policy: deny "rm *" on \`rm -rf /\``, `timeout`. */
export function decidedBy(a: Pick<ApprovalState, 'by' | 'how' | 'rule'>): string {
  if (a.by === 'user') return a.how === 'pane' ? 'you (typed in the pane)' : 'you';
  if (a.by === 'policy') return a.rule ? `policy: ${plainLine(a.rule)}` : 'policy';
  if (a.by === 'timeout') return 'timeout';
  return '?';
}

/** One approval's state for the list: what happened to it, and why. */
export function approvalStateText(a: ApprovalState, decidedHere: boolean): { kind: 'waiting' | 'sending' | 'allowed' | 'denied' | 'gone'; text: string } {
  if (a.status === 'pending' && !decidedHere) {
    return { kind: 'waiting', text: a.offscreen ? 'waiting (the prompt is off the screen)' : 'waiting' };
  }
  if (a.status === 'pending') return { kind: 'sending', text: 'sending your answer' };
  if (a.status === 'withdrawn') return { kind: 'gone', text: `withdrawn: ${plainLine(a.reason ?? 'the prompt went away')}` };
  if (a.status === 'abandoned') {
    const why = plainLine(a.reason ?? 'the session ended');
    return { kind: 'gone', text: a.decision ? `${a.decision} by ${decidedBy(a)}, abandoned: ${why}` : `abandoned: ${why}` };
  }
  if (!a.decision) return { kind: 'sending', text: 'sending' };
  const text = `${a.decision} by ${decidedBy(a)}${a.status === 'decided' ? ' (answering…)' : ''}`;
  return { kind: a.decision === 'deny' ? 'denied' : 'allowed', text };
}
