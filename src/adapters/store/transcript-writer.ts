// proof/<exec>/step-<id>-<agent>.md: a session's screen text as Markdown with a small header, redacted, written atomically.
import type { Redactor } from '../../core/redact';
import { writeTextAtomic } from './atomic';

export interface TranscriptApproval {
  command: string;
  decision: string;
  by: string;
}

export interface TranscriptHeader {
  exec: string;
  /** The step or trial id. */
  step: string;
  kind?: 'step' | 'trial';
  role: string;
  provider: string;
  /** Epoch ms, ISO string or Date. */
  start: number | string | Date;
  end?: number | string | Date;
  exitCode?: number | null;
  status?: string;
  approvals: TranscriptApproval[];
}

export interface TranscriptInput {
  header: TranscriptHeader;
  /** ANSI-free session text, as read from the emulator. */
  text: string;
}

export interface TranscriptOptions {
  redactor?: Redactor;
}

function iso(t: number | string | Date | undefined): string {
  if (t === undefined) return '—';
  const d = t instanceof Date ? t : new Date(t);
  return Number.isNaN(d.getTime()) ? String(t) : d.toISOString();
}

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

/** Inline code that survives backticks inside `text`. */
function code(text: string): string {
  const oneLine = text.replace(/\r?\n/g, ' ');
  const ticks = '`'.repeat(longestRun(oneLine, '`') + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${oneLine}${pad}${ticks}`;
}

/** The Markdown document (before redaction). */
export function renderTranscript({ header, text }: TranscriptInput): string {
  const kind = header.kind ?? 'step';
  const rows: [string, string][] = [
    ['execution', header.exec],
    [kind, header.step],
    ['role', header.role],
    ['provider', header.provider],
    ['started', iso(header.start)],
    ['ended', iso(header.end)],
    ['exit code', header.exitCode === undefined || header.exitCode === null ? '—' : String(header.exitCode)],
  ];
  if (header.status) rows.push(['status', header.status]);
  const body = text.replace(/\r\n/g, '\n').replace(/\n+$/, '');
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  const out = [
    `# Transcript: ${kind} ${header.step} (${header.role})`,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`),
    '',
    '## Approvals',
    '',
    ...(header.approvals.length === 0
      ? ['None.']
      : header.approvals.map((a) => `- ${code(a.command)}: ${a.decision} (by ${a.by})`)),
    '',
    '## Session',
    '',
    `${fence}text`,
    body,
    fence,
    '',
  ];
  return out.join('\n');
}

export function writeTranscript(path: string, input: TranscriptInput, opts: TranscriptOptions = {}): void {
  writeTextAtomic(path, renderTranscript(input), opts);
}
