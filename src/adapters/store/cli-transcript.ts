// An agent CLI's own transcript file, read into one shape: the conversation (the prompt, the agent's messages, each
// tool call with its command and whether it ran) and the usage totals. Claude Code's session JSONL
// (~/.claude/projects/<cwd>/<id>.jsonl), Codex's rollout JSONL (~/.codex/sessions/…/rollout-…-<id>.jsonl) and
// Gemini CLI's chat JSONL (~/.gemini/tmp/<project>/chats/session-…-<id8>.jsonl, or the older single JSON file).
// Lines of unknown types are skipped; a file that cannot be read or recognised gives nothing, never an error.
import { readFileSync, statSync } from 'node:fs';

export type CliKind = 'claude' | 'codex' | 'gemini';
export type ToolOutcome = 'ran' | 'failed' | 'denied' | 'no result';

export type ConversationItem =
  | { kind: 'user'; text: string }
  | { kind: 'agent'; text: string }
  | { kind: 'tool'; id?: string; tool: string; command: string; outcome: ToolOutcome; detail?: string };

export interface CliUsage {
  tokens?: number;
  /** US dollars. */
  cost?: number;
}

export interface Conversation {
  cli: CliKind;
  items: ConversationItem[];
  usage: CliUsage;
}

/** Files larger than this are not read (a transcript is kilobytes to a few megabytes). */
const MAX_BYTES = 64 * 1024 * 1024;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Text the CLI put into the conversation itself (`<environment_context>`, `<system-reminder>`, `<session_context>`). */
const injected = (text: string): boolean => /^\s*<[A-Za-z][\w -]*>/.test(text);

function parseLines(text: string): Json[] {
  const trimmed = text.trim();
  // Gemini CLI before its JSONL chats: one JSON document with `messages`.
  if (trimmed.startsWith('{') && !trimmed.includes('\n{')) {
    try {
      const doc: unknown = JSON.parse(trimmed);
      if (isObj(doc)) return [doc];
    } catch {
      /* a single JSONL line, or torn: read it line by line */
    }
  }
  const out: Json[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const v: unknown = JSON.parse(line);
      if (isObj(v)) out.push(v);
    } catch {
      /* a torn or foreign line */
    }
  }
  return out;
}

/** Which CLI wrote these lines; `hint` (the provider's name) settles a tie. */
export function detectCli(lines: Json[], hint?: string): CliKind | undefined {
  const score: Record<CliKind, number> = { claude: 0, codex: 0, gemini: 0 };
  for (const l of lines.slice(0, 200)) {
    const type = str(l.type);
    if (isObj(l.payload) || (typeof l.payload === 'string' && type)) {
      if (type === 'session_meta' || type === 'response_item' || type === 'event_msg' || type === 'turn_context') score.codex += 2;
    }
    if ('$set' in l || '$rewindTo' in l || ('projectHash' in l && 'sessionId' in l)) score.gemini += 2;
    if (Array.isArray(l.messages) && 'sessionId' in l) score.gemini += 2;
    if ((type === 'user' || type === 'gemini') && 'id' in l && 'content' in l && !('message' in l)) score.gemini += 1;
    if (typeof l.sessionId === 'string' && (isObj(l.message) || ['permission-mode', 'mode', 'last-prompt', 'cost-state', 'file-history-snapshot', 'summary'].includes(type ?? ''))) score.claude += 2;
  }
  const best = (Object.keys(score) as CliKind[]).sort((a, b) => score[b] - score[a]);
  if (score[best[0]] === 0) return undefined;
  if (hint && (hint === 'claude' || hint === 'codex' || hint === 'gemini') && score[hint] === score[best[0]]) return hint;
  return best[0];
}

/** Parses a CLI transcript's text. Undefined when it is not one of the three formats. */
export function parseCliTranscript(text: string, hint?: string): Conversation | undefined {
  const lines = parseLines(text);
  const cli = detectCli(lines, hint);
  if (!cli) return undefined;
  if (cli === 'claude') return parseClaude(lines);
  if (cli === 'codex') return parseCodex(lines);
  return parseGemini(lines);
}

/** Reads and parses a CLI transcript file; undefined when it is missing, unreadable, too large or unrecognised. */
export function readCliTranscript(path: string, hint?: string): Conversation | undefined {
  try {
    if (statSync(path).size > MAX_BYTES) return undefined;
    return parseCliTranscript(readFileSync(path, 'utf8'), hint);
  } catch {
    return undefined;
  }
}

/** Usage totals from a CLI transcript file ({} when it has none or cannot be read): what the runner reports as `usage`. */
export function cliTranscriptUsage(path: string, hint?: string): CliUsage {
  return readCliTranscript(path, hint)?.usage ?? {};
}

/** A one-line summary of a tool call's input: the command, the file, or the input itself. */
function describeInput(input: unknown): string {
  if (typeof input === 'string') return input;
  if (!isObj(input)) return '';
  for (const k of ['command', 'cmd']) {
    const v = input[k];
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return shellArgv(v as string[]);
  }
  for (const k of ['file_path', 'path', 'absolute_path', 'url', 'pattern', 'query', 'prompt']) {
    const v = input[k];
    if (typeof v === 'string') return v;
  }
  const json = JSON.stringify(input);
  return json.length > 300 ? `${json.slice(0, 300)}…` : json;
}

/** `["bash", "-lc", "npm test"]` → `npm test`; other argv joined by spaces. */
function shellArgv(argv: string[]): string {
  if (argv.length === 3 && /(^|\/)(ba|z|da)?sh$/.test(argv[0]) && /^-l?c$/.test(argv[1])) return argv[2];
  return argv.join(' ');
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((b) => (isObj(b) && typeof b.text === 'string' && (b.type === undefined || /text$/.test(String(b.type))) ? b.text : ''))
    .filter(Boolean)
    .join('\n');
}

const short = (text: string, max = 400): string => {
  const t = text.trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
};

// ---- Claude Code ----------------------------------------------------------------------------------------------

const REJECTED = /doesn't want to proceed|was rejected|rejected by|permission.*denied|denied by|blocked by/i;

function parseClaude(lines: Json[]): Conversation {
  const items: ConversationItem[] = [];
  const tools = new Map<string, Extract<ConversationItem, { kind: 'tool' }>>();
  const usage = new Map<string, number>();
  let cost: number | undefined;
  for (const l of lines) {
    const type = str(l.type);
    if (type === 'cost-state') {
      cost = num(l.totalCostUSD) ?? cost;
      continue;
    }
    if ((type !== 'user' && type !== 'assistant') || !isObj(l.message) || l.isSidechain === true) continue;
    const msg = l.message;
    if (type === 'assistant') {
      const u = isObj(msg.usage) ? msg.usage : undefined;
      if (u) {
        const total = ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'].reduce((s, k) => s + (num(u[k]) ?? 0), 0);
        usage.set(str(msg.id) ?? str(l.uuid) ?? String(usage.size), total);
      }
      for (const b of Array.isArray(msg.content) ? msg.content : [msg.content]) {
        if (typeof b === 'string' && b.trim()) items.push({ kind: 'agent', text: b });
        if (!isObj(b)) continue;
        if (b.type === 'text' && typeof b.text === 'string' && b.text.trim()) items.push({ kind: 'agent', text: b.text });
        else if (b.type === 'tool_use') {
          const item = { kind: 'tool' as const, id: str(b.id), tool: str(b.name) ?? 'tool', command: describeInput(b.input), outcome: 'no result' as ToolOutcome };
          items.push(item);
          if (item.id) tools.set(item.id, item);
        }
      }
      continue;
    }
    if (l.isMeta === true || l.isCompactSummary === true) continue;
    if (typeof msg.content === 'string') {
      if (msg.content.trim() && !injected(msg.content)) items.push({ kind: 'user', text: msg.content });
      continue;
    }
    if (!Array.isArray(msg.content)) continue;
    for (const b of msg.content) {
      if (!isObj(b)) continue;
      if (b.type === 'text' && typeof b.text === 'string' && b.text.trim() && !injected(b.text) && !/^\[Request interrupted/.test(b.text)) {
        items.push({ kind: 'user', text: b.text });
      } else if (b.type === 'tool_result') {
        const item = tools.get(str(b.tool_use_id) ?? '');
        if (!item) continue;
        const out = textOf(b.content);
        const denied = l.toolDenialKind !== undefined || (b.is_error === true && REJECTED.test(out));
        item.outcome = denied ? 'denied' : b.is_error === true ? 'failed' : 'ran';
        if (out.trim()) item.detail = short(out);
      }
    }
  }
  const tokens = usage.size ? [...usage.values()].reduce((a, b) => a + b, 0) : undefined;
  return { cli: 'claude', items, usage: { ...(tokens !== undefined ? { tokens } : {}), ...(cost !== undefined ? { cost } : {}) } };
}

// ---- Codex ------------------------------------------------------------------------------------------------------

const CODEX_REFUSED = /rejected by user|aborted by user|declined|denied|blocked by|canceled|cancelled/i;

function codexOutput(output: unknown): { text: string; exit?: number; ok?: boolean } {
  if (isObj(output)) {
    const text = str(output.content) ?? textOf(output.content) ?? '';
    return { text, ok: typeof output.success === 'boolean' ? output.success : undefined };
  }
  const text = str(output) ?? '';
  try {
    // Older rollouts: {"output": "...", "metadata": {"exit_code": 0}}.
    const v: unknown = JSON.parse(text);
    if (isObj(v) && isObj(v.metadata)) return { text: str(v.output) ?? '', exit: num(v.metadata.exit_code) };
  } catch {
    /* plain text */
  }
  const exit = /(?:Process exited with code|exit code:?)\s*(-?\d+)/i.exec(text);
  return { text, exit: exit ? Number(exit[1]) : undefined };
}

function parseCodex(lines: Json[]): Conversation {
  const items: ConversationItem[] = [];
  const tools = new Map<string, Extract<ConversationItem, { kind: 'tool' }>>();
  let tokens: number | undefined;
  for (const l of lines) {
    const p = l.payload;
    if (!isObj(p)) continue;
    if (l.type === 'event_msg') {
      if (p.type === 'token_count' && isObj(p.info) && isObj(p.info.total_token_usage)) tokens = num(p.info.total_token_usage.total_tokens) ?? tokens;
      continue;
    }
    if (l.type !== 'response_item') continue;
    switch (p.type) {
      case 'message': {
        const text = textOf(p.content);
        if (!text.trim()) break;
        if (p.role === 'user' && !injected(text)) items.push({ kind: 'user', text });
        else if (p.role === 'assistant') items.push({ kind: 'agent', text });
        break;
      }
      case 'function_call':
      case 'custom_tool_call':
      case 'local_shell_call': {
        let input: unknown = p.type === 'custom_tool_call' ? p.input : p.arguments;
        if (typeof input === 'string' && p.type === 'function_call') {
          try {
            input = JSON.parse(input);
          } catch {
            /* keep the raw arguments */
          }
        }
        if (p.type === 'local_shell_call' && isObj(p.action)) input = p.action;
        const tool = str(p.name) ?? (p.type === 'local_shell_call' ? 'shell' : 'tool');
        const command = tool === 'apply_patch' && typeof input === 'string' ? patchFiles(input) : describeInput(input);
        const item = { kind: 'tool' as const, id: str(p.call_id), tool, command, outcome: 'no result' as ToolOutcome };
        items.push(item);
        if (item.id) tools.set(item.id, item);
        break;
      }
      case 'function_call_output':
      case 'custom_tool_call_output': {
        const item = tools.get(str(p.call_id) ?? '');
        if (!item) break;
        const out = codexOutput(p.output);
        item.outcome = CODEX_REFUSED.test(out.text) && out.exit === undefined ? 'denied' : out.ok === false || (out.exit !== undefined && out.exit !== 0) ? 'failed' : 'ran';
        if (out.exit !== undefined) item.detail = `exit ${out.exit}`;
        else if (out.text.trim()) item.detail = short(out.text);
        break;
      }
      default:
        break;
    }
  }
  return { cli: 'codex', items, usage: tokens !== undefined ? { tokens } : {} };
}

/** The files an apply_patch input touches, one per line of `*** Add|Update|Delete File: path`. */
function patchFiles(patch: string): string {
  const files = [...patch.matchAll(/^\*\*\* (Add|Update|Delete) File: (.+)$/gm)].map((m) => `${m[1].toLowerCase()} ${m[2].trim()}`);
  return files.length ? files.join(', ') : short(patch, 200);
}

// ---- Gemini CLI -------------------------------------------------------------------------------------------------

/** Gemini skips these user messages when it resumes: slash and ? commands, its own context. */
const geminiIgnored = (text: string): boolean => {
  const t = text.trim();
  return !t || t.startsWith('/') || t.startsWith('?') || injected(t);
};

function parseGemini(lines: Json[]): Conversation {
  // As Gemini reads it back: messages by id (a later record replaces an earlier one in place), `$set.messages`
  // replaces them all, `$rewindTo` drops a message and everything after it.
  let messages = new Map<string, Json>();
  const setAll = (list: unknown) => {
    if (!Array.isArray(list)) return;
    messages = new Map();
    for (const m of list) if (isObj(m) && typeof m.id === 'string') messages.set(m.id, m);
  };
  for (const l of lines) {
    if (typeof l.$rewindTo === 'string') {
      const ids = [...messages.keys()];
      const at = ids.indexOf(l.$rewindTo);
      if (at < 0) messages.clear();
      else for (const id of ids.slice(at)) messages.delete(id);
    } else if (typeof l.id === 'string') messages.set(l.id, l);
    else if (isObj(l.$set)) setAll(l.$set.messages);
    else if (Array.isArray(l.messages)) setAll(l.messages);
  }
  const items: ConversationItem[] = [];
  let tokens: number | undefined;
  for (const m of messages.values()) {
    const text = textOf(m.content);
    if (m.type === 'user') {
      if (!geminiIgnored(text)) items.push({ kind: 'user', text });
    } else if (m.type === 'gemini') {
      if (text.trim()) items.push({ kind: 'agent', text });
      for (const c of Array.isArray(m.toolCalls) ? m.toolCalls : []) {
        if (!isObj(c)) continue;
        const status = str(c.status);
        const outcome: ToolOutcome = status === 'success' ? 'ran' : status === 'error' ? 'failed' : status === 'cancelled' ? 'denied' : 'no result';
        const result = Array.isArray(c.result) ? c.result.map((r) => (isObj(r) && isObj(r.functionResponse) && isObj(r.functionResponse.response) ? (str(r.functionResponse.response.output) ?? str(r.functionResponse.response.error) ?? '') : '')).join('\n') : '';
        items.push({ kind: 'tool', id: str(c.id), tool: str(c.displayName) ?? str(c.name) ?? 'tool', command: describeInput(c.args), outcome, ...(result.trim() ? { detail: short(result.replace(/<\/?untrusted_context>/g, '')) } : {}) });
      }
      const t = isObj(m.tokens) ? num(m.tokens.total) : undefined;
      if (t !== undefined) tokens = (tokens ?? 0) + t;
    } else if ((m.type === 'error' || m.type === 'warning') && text.trim()) {
      items.push({ kind: 'agent', text: `(${m.type}) ${text}` });
    }
  }
  return { cli: 'gemini', items, usage: tokens !== undefined ? { tokens } : {} };
}
