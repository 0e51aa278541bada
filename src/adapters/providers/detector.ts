// Screen-pattern approval detection: pure, fed with snapshots (or screen text) and the time by the caller.
import { createHash } from 'node:crypto';
import { lineText, type ScreenSnapshot } from '../../core/screen';
import type { ProviderDef } from '../../core/types';

export interface ApprovalPrompt {
  /** The command (or action) the agent asks to run, as shown on screen; '' when none was extracted. */
  command: string;
  /** Option labels as shown ("Yes", "Yes, always for this session (a)", ...), in screen order. */
  options: string[];
  /** Identifies this appearance of the prompt: pattern, command, options and where it sits in the buffer. */
  fingerprint: string;
  /** When the prompt was first seen (ms, the detector's clock). */
  since: number;
}

export type DetectorEvent = { type: 'prompt'; prompt: ApprovalPrompt } | { type: 'gone'; prompt: ApprovalPrompt };

export interface ApprovalDetector {
  /** Feed the current screen; call again (even with an unchanged screen) as time passes. */
  feed(screen: ScreenSnapshot | string): DetectorEvent[];
  /** The reported prompt currently on screen, if any. */
  readonly current: ApprovalPrompt | undefined;
  reset(): void;
}

export interface DetectorOptions {
  /** How long a reported prompt must be absent before it counts as gone (default: min(stableMs, 250)). */
  goneMs?: number;
}

interface Candidate {
  key: string;
  command: string;
  options: string[];
  fingerprint: string;
}

const BOX_EDGE = /^[\s│┃║|]+|[\s│┃║|]+$/g;
const OPTION_LINE = /^[\s│┃║|]*(?:[❯›>▶▸●◉→]\s*)?(\d{1,2})[.)]\s+(.+?)[\s│┃║|]*$/u;
const LETTER_OPTION = /\(([A-Za-z])\)([\w']+(?: [\w']+)*)/g;

/** The command text from a capture: box borders stripped, wrapped lines joined. */
export function cleanCommand(captured: string): string {
  return captured
    .split('\n')
    .map((l) => l.replace(BOX_EDGE, ''))
    .filter((l) => l !== '')
    .join(' ')
    .replace(/^\$\s+/, '')
    .trim();
}

/** Option labels after `from` in the text: numbered lines, else `(Y)es/(N)o` style choices. */
export function extractOptions(text: string, from: number): string[] {
  const lines = text.slice(from).split('\n');
  const numbered: string[] = [];
  let expect = 1;
  for (const line of lines) {
    const m = OPTION_LINE.exec(line);
    if (m && Number(m[1]) === expect) {
      numbered.push(`${m[1]}. ${m[2].trim()}`);
      expect++;
    } else if (numbered.length > 0 && line.replace(BOX_EDGE, '') !== '') {
      break;
    }
  }
  if (numbered.length > 0) return numbered;
  for (const line of lines.slice(0, 4)) {
    const letters = [...line.matchAll(LETTER_OPTION)].map((m) => `(${m[1]})${m[2]}`);
    if (letters.length > 0) return letters;
  }
  return [];
}

function screenOf(input: ScreenSnapshot | string): { text: string; base: number } {
  if (typeof input === 'string') return { text: input, base: 0 };
  return { text: input.lines.map((l) => lineText(l).trimEnd()).join('\n'), base: input.viewportY };
}

export function compilePatterns(def: ProviderDef): { match: RegExp; command?: RegExp }[] {
  return def.approval.patterns.map((p) => ({
    match: new RegExp(p.match, 'm'),
    command: p.command ? new RegExp(p.command, 'm') : undefined,
  }));
}

/** Finds a prompt on one screen, without any notion of time. */
export function matchPrompt(
  patterns: { match: RegExp; command?: RegExp }[],
  input: ScreenSnapshot | string,
): Candidate | undefined {
  const { text, base } = screenOf(input);
  for (let i = 0; i < patterns.length; i++) {
    const p = patterns[i];
    const m = p.match.exec(text);
    if (!m) continue;
    const cm = p.command?.exec(text);
    const command = cm?.[1] !== undefined ? cleanCommand(cm[1]) : '';
    const start = Math.min(m.index, cm?.index ?? m.index);
    const options = extractOptions(text, start);
    const row = base + text.slice(0, m.index).split('\n').length - 1;
    const key = `${i}\u0000${command}\u0000${options.join('\u0001')}`;
    const fingerprint = createHash('sha1').update(`${key}\u0000${row}`).digest('hex').slice(0, 16);
    return { key: `${key}\u0000${row}`, command, options, fingerprint };
  }
  return undefined;
}

export function createApprovalDetector(def: ProviderDef, now: () => number = Date.now, opts: DetectorOptions = {}): ApprovalDetector {
  const patterns = compilePatterns(def);
  const stableMs = def.approval.stableMs;
  const goneMs = opts.goneMs ?? Math.min(stableMs, 250);
  let pending: { cand: Candidate; since: number } | undefined;
  let shown: ApprovalPrompt | undefined;
  let shownKey = '';
  let missingSince: number | undefined;

  return {
    get current() {
      return shown;
    },
    reset() {
      pending = undefined;
      shown = undefined;
      shownKey = '';
      missingSince = undefined;
    },
    feed(screen) {
      if (!def.asksApproval || patterns.length === 0) return [];
      const t = now();
      const events: DetectorEvent[] = [];
      const cand = matchPrompt(patterns, screen);

      if (cand && cand.key === shownKey) {
        missingSince = undefined;
        pending = undefined;
        return events;
      }
      if (!cand) pending = undefined;
      else if (!pending || pending.cand.key !== cand.key) pending = { cand, since: t };
      if (shown) {
        missingSince ??= t;
        if (t - missingSince < goneMs) return events;
        events.push({ type: 'gone', prompt: shown });
        shown = undefined;
        shownKey = '';
        missingSince = undefined;
      }
      if (!pending) return events;
      if (t - pending.since >= stableMs) {
        shown = {
          command: pending.cand.command,
          options: pending.cand.options,
          fingerprint: pending.cand.fingerprint,
          since: pending.since,
        };
        shownKey = pending.cand.key;
        pending = undefined;
        events.push({ type: 'prompt', prompt: shown });
      }
      return events;
    },
  };
}
