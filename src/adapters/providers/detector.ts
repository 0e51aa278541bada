// Screen-pattern approval detection: pure, fed with snapshots (or screen text) and the time by the caller.
import { createHash } from 'node:crypto';
import { cellWidth, logicalLines, type ScreenSnapshot } from '../../core/screen';
import type { ApprovalPattern, ProviderDef } from '../../core/types';
import { joinWrappedRows, sliceCells } from './rejoin';

export interface ApprovalPrompt {
  /** The command (or action) the agent asks to run, as shown on screen; '' when none was extracted. */
  command: string;
  /** Option labels as shown ("Yes", "Yes, always for this session (a)", ...), in screen order. */
  options: string[];
  /**
   * The prompt's identity: its pattern, the command with all whitespace removed and the option labels
   * (likewise). Nothing positional, so a redraw one row lower, a resize that rewraps it or a scroll is
   * the same prompt.
   */
  key: string;
  /** When the prompt was first seen (ms, the detector's clock). */
  since: number;
}

export type DetectorEvent = { type: 'prompt'; prompt: ApprovalPrompt } | { type: 'gone'; prompt: ApprovalPrompt };

export interface ApprovalDetector {
  /** Feed the current screen; call again (even with an unchanged screen) as time passes. */
  feed(screen: ScreenSnapshot | string): DetectorEvent[];
  /** The reported prompt currently on screen, if any. */
  readonly current: ApprovalPrompt | undefined;
  /**
   * Conductor answered the prompt on screen. From now on it is gone the moment it is not seen, and the
   * same prompt seen elsewhere on screen is a new one (the agent asked again): a redraw is not waited for.
   */
  answered(): void;
  reset(): void;
}

export interface DetectorOptions {
  /** How long a reported prompt must be absent before it counts as gone (default: min(stableMs, 250)). */
  goneMs?: number;
}

/** How a captured command is put back together: who wrapped it, and the screen it was read from. */
export interface CommandLayout {
  /** See ApprovalPattern.wrap (default 'app'). */
  wrap?: 'app' | 'terminal';
  /** See ApprovalPattern.gap (default 1). */
  gap?: number;
  /** The screen's width in cells: the right edge of a panel without a right border. */
  width?: number;
}

export interface CompiledPattern {
  match: RegExp;
  command?: RegExp;
  wrap: 'app' | 'terminal';
  gap: number;
}

interface Candidate {
  key: string;
  command: string;
  options: string[];
  /** Where it sits (buffer line of the match): not part of the identity, only used after an answer. */
  at: number;
}

const BOX_EDGE = /^[\s│┃║|]+|[\s│┃║|]+$/g;
const LEFT_EDGE = /^[\s│┃║|]*/;
/** A right border: border characters after at least one blank, to the end of the row. */
const RIGHT_BORDER = /(?<=\s)[│┃║|](?:\s*[│┃║|])*\s*$/;
const OPTION_LINE = /^[\s│┃║|]*(?:[❯›>▶▸●◉→]\s*)?(\d{1,2})[.)]\s+(.+?)[\s│┃║|]*$/u;
const OPTION_PREFIX = /^[\s│┃║|]*(?:[❯›>▶▸●◉→]\s*)?\d{1,2}[.)]\s+/u;
const LETTER_OPTION = /\(([A-Za-z])\)([\w']+(?: [\w']+)*)/g;

const blank = (line: string): boolean => line.replace(BOX_EDGE, '') === '';

/**
 * The content area of rows an app drew (and wrapped) itself: where it starts (the leftmost text after
 * any left border and indent, or `col`), where it ends (the rows' common right border, else the
 * screen's edge) less the app's `gap`, and each row's text inside it.
 */
function contentArea(lines: string[], width: number, gap: number, col?: number): { rows: string[]; width: number } {
  const left = col ?? Math.min(...lines.map((l) => cellWidth(LEFT_EDGE.exec(l)?.[0] ?? '')));
  const borders = lines.map((l) => {
    const m = RIGHT_BORDER.exec(l);
    return m ? cellWidth(l.slice(0, m.index)) : -1;
  });
  const boxed = borders.every((b) => b >= 0 && b === borders[0]);
  const right = boxed ? borders[0] : width;
  return {
    rows: lines.map((l) => sliceCells(l, left, boxed ? right : Infinity).trimEnd()),
    width: right - gap - left,
  };
}

/**
 * The command text from a capture. With wrap 'app' the rows are the app's own wrapping: borders and
 * indent stripped and the rows joined by geometry (joinWrappedRows). With wrap 'terminal' each line is
 * a line of the command: the common indent is stripped and the lines keep their newlines.
 */
export function cleanCommand(captured: string, layout: CommandLayout = {}): string {
  const lines = captured.split('\n').map((l) => l.trimEnd());
  let text: string;
  if (layout.wrap === 'terminal') {
    while (lines.length && lines[0].trim() === '') lines.shift();
    while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
    const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
    text = lines.map((l) => l.slice(indent)).join('\n');
  } else {
    const rows = lines.filter((l) => !blank(l));
    if (rows.length === 0) return '';
    const width = layout.width ?? Math.max(...rows.map(cellWidth));
    const area = contentArea(rows, width, layout.gap ?? 1);
    text = joinWrappedRows(area.rows, area.width);
  }
  return text.replace(/^\$\s+/, '').trim();
}

/**
 * Option labels after `from` in the text: numbered lines, else `(Y)es/(N)o` style choices. A numbered
 * label the app wrapped onto further rows (indented to the label's start) is joined like a command.
 */
export function extractOptions(text: string, from: number, layout: CommandLayout = {}): string[] {
  const lines = text.slice(from).split('\n');
  const width = layout.width ?? Math.max(0, ...lines.map(cellWidth));
  const numbered: { n: string; col: number; rows: string[] }[] = [];
  let open = false;
  for (const line of lines) {
    const m = OPTION_LINE.exec(line);
    const last = numbered[numbered.length - 1];
    if (m && Number(m[1]) === numbered.length + 1) {
      numbered.push({ n: m[1], col: cellWidth(OPTION_PREFIX.exec(line)![0]), rows: [line] });
      open = true;
    } else if (open && last && !m && !blank(line) && cellWidth(LEFT_EDGE.exec(line)![0]) >= last.col) {
      last.rows.push(line);
    } else if (numbered.length > 0 && !blank(line)) {
      break;
    } else {
      open = false;
    }
  }
  if (numbered.length > 0) {
    return numbered.map(({ n, col, rows }) => {
      const area = contentArea(rows, width, layout.gap ?? 1, col);
      return `${n}. ${joinWrappedRows(area.rows, area.width).replace(BOX_EDGE, '')}`;
    });
  }
  for (const line of lines.slice(0, 4)) {
    const letters = [...line.matchAll(LETTER_OPTION)].map((m) => `(${m[1]})${m[2]}`);
    if (letters.length > 0) return letters;
  }
  return [];
}

/** The detector's screen text: logical lines (terminal-wrapped rows joined), and the width in cells. */
function screenOf(input: ScreenSnapshot | string): { text: string; width: number; base: number; live: number } {
  if (typeof input !== 'string') {
    const text = logicalLines(input).join('\n');
    // Where the viewport starts in the text, when rows above it were read too.
    const live = input.above ? logicalLines({ ...input, lines: input.lines.slice(0, input.above) }).join('\n').length + 1 : 0;
    return { text, width: input.cols, base: input.viewportY, live };
  }
  // Plain text carries no wrap flags: each line is taken as a logical line, as wide as the widest.
  return { text: input, width: Math.max(0, ...input.split('\n').map((l) => cellWidth(l.trimEnd()))), base: 0, live: 0 };
}

export function compilePatterns(def: ProviderDef): CompiledPattern[] {
  return def.approval.patterns.map((p: ApprovalPattern) => ({
    match: new RegExp(p.match, 'm'),
    command: p.command ? new RegExp(p.command, 'm') : undefined,
    wrap: p.wrap ?? 'app',
    gap: p.gap ?? 1,
  }));
}

/** A prompt's identity (ApprovalPrompt.key): pattern, command and labels with all whitespace removed. */
export function promptKey(pattern: number, command: string, options: string[]): string {
  const squeeze = (s: string): string => s.replace(/\s+/g, '');
  const id = [String(pattern), squeeze(command), options.map(squeeze).join('\u0001')].join('\u0000');
  return createHash('sha1').update(id).digest('hex').slice(0, 16);
}

/** Finds a prompt on one screen, without any notion of time. */
/** The last match of `re` in `text` that starts before `before` (default: anywhere). */
function lastMatch(re: RegExp, text: string, before = Infinity): RegExpExecArray | undefined {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  let last: RegExpExecArray | undefined;
  for (let m = g.exec(text); m && m.index < before; m = g.exec(text)) {
    last = m;
    if (m[0].length === 0) g.lastIndex++;
  }
  return last;
}

/**
 * The prompt on screen. The live prompt is the lowest one: copies higher up (an inline CLI's earlier frames
 * left in the lines read above a short pane, a prompt already answered) are history, never the question.
 */
export function matchPrompt(patterns: CompiledPattern[], input: ScreenSnapshot | string): Candidate | undefined {
  const { text, width, base, live } = screenOf(input);
  let best: { i: number; m: RegExpExecArray } | undefined;
  for (let i = 0; i < patterns.length; i++) {
    const m = lastMatch(patterns[i].match, text);
    // The lowest prompt is the one that ends last; at the same end, the earlier (more specific) pattern wins.
    if (m && (!best || m.index + m[0].length > best.m.index + best.m[0].length)) best = { i, m };
  }
  // A prompt entirely in the rows read above the viewport has scrolled away: an earlier frame, not a question.
  if (!best || best.m.index + best.m[0].length <= live) return undefined;
  const { i, m } = best;
  const p = patterns[i];
  const cm = p.command ? lastMatch(p.command, text, m.index + m[0].length) : undefined;
  const layout: CommandLayout = { wrap: p.wrap, gap: p.gap, width };
  const command = cm?.[1] !== undefined ? cleanCommand(cm[1], layout) : '';
  const start = Math.min(m.index, cm?.index ?? m.index);
  const options = extractOptions(text, start, layout);
  const at = base + text.slice(0, m.index).split('\n').length - 1;
  return { key: promptKey(i, command, options), command, options, at };
}

export function createApprovalDetector(def: ProviderDef, now: () => number = Date.now, opts: DetectorOptions = {}): ApprovalDetector {
  const patterns = compilePatterns(def);
  const stableMs = def.approval.stableMs;
  const goneMs = opts.goneMs ?? Math.min(stableMs, 250);
  let pending: { cand: Candidate; since: number } | undefined;
  let shown: ApprovalPrompt | undefined;
  let shownKey = '';
  let missingSince: number | undefined;
  /** Where the shown prompt sat when it was answered (undefined while unanswered). */
  let answeredAt: number | undefined;
  /** Where the shown prompt was last seen. */
  let shownAt = -1;

  return {
    get current() {
      return shown;
    },
    answered() {
      if (shown) answeredAt = shownAt;
    },
    reset() {
      pending = undefined;
      shown = undefined;
      shownKey = '';
      missingSince = undefined;
      answeredAt = undefined;
    },
    feed(screen) {
      if (!def.asksApproval || patterns.length === 0) return [];
      const t = now();
      const events: DetectorEvent[] = [];
      const cand = matchPrompt(patterns, screen);

      if (cand && cand.key === shownKey) {
        if (answeredAt === undefined) shownAt = cand.at;
        if (answeredAt === undefined || cand.at === answeredAt) {
          missingSince = undefined;
          pending = undefined;
          return events;
        }
      }
      if (!cand) pending = undefined;
      else if (!pending || pending.cand.key !== cand.key || pending.cand.at !== cand.at) pending = { cand, since: t };
      if (shown) {
        missingSince ??= t;
        if (answeredAt === undefined && t - missingSince < goneMs) return events;
        events.push({ type: 'gone', prompt: shown });
        shown = undefined;
        shownKey = '';
        missingSince = undefined;
        answeredAt = undefined;
      }
      if (!pending) return events;
      if (t - pending.since >= stableMs) {
        shown = {
          command: pending.cand.command,
          options: pending.cand.options,
          key: pending.cand.key,
          since: pending.since,
        };
        shownKey = pending.cand.key;
        shownAt = pending.cand.at;
        pending = undefined;
        events.push({ type: 'prompt', prompt: shown });
      }
      return events;
    },
  };
}
