// proof/<exec>/step-<id>-<agent>.md: a session's screen text as Markdown with a small header, redacted, written atomically.
// When the CLI kept its own transcript, its conversation (prompt, messages, tool calls and how each ended) comes first.
import type { Redactor } from '../../core/redact';
import { writeTextAtomic } from './atomic';
import type { Conversation } from './cli-transcript';

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
  /** A line for the reader about how this transcript came to be (rebuilt from the recording, …). */
  note?: string;
}

export interface TranscriptInput {
  header: TranscriptHeader;
  /** ANSI-free session text: what the person saw (see ScreenHistory). */
  text: string;
  /** The conversation from the CLI's own transcript file, when there was one. */
  conversation?: Conversation;
  /** Where that file was. */
  conversationSource?: string;
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

/** A fenced block that survives backticks in `text`. */
function fenced(text: string, info = 'text'): string[] {
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return [`${fence}${info}`, text, fence];
}

const OUTCOME: Record<string, string> = { ran: 'ran', failed: 'ran, failed', denied: 'denied, did not run', 'no result': 'no result recorded' };

/** The conversation as Markdown: each message as a quote, each tool call as its command and how it ended. */
export function renderConversation(c: Conversation): string[] {
  const out: string[] = [];
  const quote = (who: string, text: string) => {
    out.push(`**${who}:**`, '', ...text.replace(/\r\n/g, '\n').trim().split('\n').map((l) => (l ? `> ${l}` : '>')), '');
  };
  for (const item of c.items) {
    if (item.kind === 'user') quote('prompt', item.text);
    else if (item.kind === 'agent') quote(c.cli, item.text);
    else {
      out.push(`- ${item.tool} ${code(item.command || '(no input)')}: ${OUTCOME[item.outcome] ?? item.outcome}${item.detail ? ` (${cell(item.detail.length > 160 ? `${item.detail.slice(0, 160)}…` : item.detail)})` : ''}`, '');
    }
  }
  if (c.items.length === 0) out.push('Nothing recorded.', '');
  const usage = [c.usage.tokens !== undefined ? `${c.usage.tokens} tokens` : '', c.usage.cost !== undefined ? `$${c.usage.cost.toFixed(4)}` : ''].filter(Boolean);
  if (usage.length) out.push(`Usage: ${usage.join(', ')}.`, '');
  return out;
}

/** The Markdown document (before redaction). */
export function renderTranscript({ header, text, conversation, conversationSource }: TranscriptInput): string {
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
  const out = [
    `# Transcript: ${kind} ${header.step} (${header.role})`,
    '',
    ...(header.note ? [`> ${header.note.replace(/\n/g, ' ')}`, ''] : []),
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
    ...(conversation
      ? ['## Conversation', '', ...(conversationSource ? [`From ${conversation.cli}'s own transcript, ${code(conversationSource)}.`, ''] : []), ...renderConversation(conversation)]
      : []),
    '## Session',
    '',
    ...fenced(body),
    '',
  ];
  return out.join('\n');
}

export function writeTranscript(path: string, input: TranscriptInput, opts: TranscriptOptions = {}): void {
  writeTextAtomic(path, renderTranscript(input), opts);
}
