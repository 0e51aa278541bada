// Secret redaction for everything written to proof/ and trace/: one-shot, deep (JSON values) and streaming.

/** Chars after a match's trigger, walked greedily segment by segment, bound where a match can end. */
interface SecretPattern {
  name: string;
  triggers: string[];
  /** Regex source for the whole match; must start with one of the triggers. */
  source: string;
  segments: RegExp[];
  /** Upper bound on the chars a match (plus one char of lookahead) can span from its start. */
  maxLen: number;
  /** Keep the leading scheme word and spaces (`Bearer `) in the output. */
  keepPrefix?: RegExp;
  /** Replaces the segment walk: whether the match at `q` could still change with more input. */
  unsettled?: (buf: string, q: number) => boolean;
}

export interface RedactorOptions {
  /** Environment whose `*_KEY`, `*_TOKEN`, `*_SECRET`, `*_PASSWORD` values are redacted verbatim (see `isRedactableValue`). */
  env?: Record<string, string | undefined>;
  /** Environments whose every value is redacted verbatim, whatever the variable's name (providers' `env:`), labelled `env:NAME`. */
  allEnv?: Record<string, string | undefined>[];
  /** Further literal secrets to redact, labelled `[REDACTED:value]`. */
  values?: string[];
}

export interface Redactor {
  redact(text: string): string;
  /** Redacts every string (and object key) inside a JSON-like value; returns a copy. */
  redactValue<T>(value: T): T;
  /** The most chars a stream redactor built on this redactor ever holds back. */
  readonly maxHoldback: number;
  /** @internal scan used by stream redactors */
  scan(buf: string, start: number, final: boolean): { out: string; cut: number };
  /** @internal the same scan as replacements `[from, to) → text`, for stream redactors that map positions */
  spans(buf: string, start: number, final: boolean): { spans: Span[]; cut: number };
}

export interface Span {
  from: number;
  to: number;
  text: string;
}

export interface StreamRedactor {
  /** Redacted text that is safe to write now; a tail that could start a secret is held back. */
  push(chunk: string): string;
  /** Everything still held back, redacted. The stream can be reused afterwards. */
  flush(): string;
  /** Chars currently held back. */
  readonly held: number;
}

const SECRET_ENV_NAME = /_(KEY|TOKEN|SECRET|PASSWORD)$/i;
/** Literal values shorter than this are never redacted: too much ordinary text would go with them. */
export const MIN_SECRET_VALUE = 8;
/** A value of plain words (`greeting`, `read-only`, `hello world`) is not a secret unless it is at least this long. */
export const MIN_WORD_SECRET = 16;
const MAX_ENV_VALUE = 8192;
/** Letters, or words of letters joined by one `-`, `_`, `.` or space. */
const PLAIN_WORDS = /^[A-Za-z]+(?:[-_. ][A-Za-z]+)*$/;

/**
 * Whether a literal value (an env value, a provider's env value) is redacted wherever it appears: at least 8
 * characters, and at least 16 when it is plain words, so that `greeting` or `read-only` in a transcript
 * stays (with `FOO_TOKEN=greeting`, "the greeting module" is not redacted).
 */
export function isRedactableValue(value: string): boolean {
  if (value.length < MIN_SECRET_VALUE || value.length > MAX_ENV_VALUE) return false;
  return !PLAIN_WORDS.test(value) || value.length >= MIN_WORD_SECRET;
}
/** Chars of already-written input kept so left-boundary lookbehinds see the same text as a one-shot pass. */
const CONTEXT = 64;

/** Not preceded by a word char, unless that char ends an escape sequence (`\x1b[31m`, `\x1b7`, `\x1b(B`). */
function leftBounded(trigger: string, rest: string): string {
  return `${trigger}(?<!(?<!\\x1b[\\[(]?[0-9;:?<=>!]{0,32})[A-Za-z0-9_](?:${trigger}))${rest}`;
}

const TOKEN = /[A-Za-z0-9_-]/;

/** The body of a PEM private key is at most this long (an 8192-bit RSA key is about 6,500 chars). */
const PEM_BODY = 10_000;
const PEM_LABEL = '[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----';
const PEM_BEGIN = new RegExp(`-----BEGIN ${PEM_LABEL}`, 'y');
const PEM_END = new RegExp(`-----END ${PEM_LABEL}`, 'g');

/**
 * A PEM block's match is settled once its END line is in the buffer (the lazy body stops at the first one),
 * or once its BEGIN line can no longer be a private key's.
 */
function pemUnsettled(buf: string, q: number): boolean {
  PEM_BEGIN.lastIndex = q;
  if (!PEM_BEGIN.test(buf)) {
    let i = q;
    while (i < buf.length && i - q < 80 && /[A-Z0-9 -]/.test(buf[i])) i++;
    return i >= buf.length;
  }
  const body = PEM_BEGIN.lastIndex;
  PEM_END.lastIndex = body;
  const end = PEM_END.exec(buf);
  return !end || end.index - body > PEM_BODY;
}

const PATTERNS: SecretPattern[] = [
  {
    name: 'anthropic-key',
    triggers: ['sk-ant-'],
    source: leftBounded('sk-ant-', '[A-Za-z0-9_-]{20,400}'),
    segments: [TOKEN],
    maxLen: 7 + 400 + 1,
  },
  {
    name: 'openai-key',
    triggers: ['sk-'],
    source: leftBounded('sk-', '(?=[A-Za-z_-]{0,400}[0-9])[A-Za-z0-9_-]{20,400}'),
    segments: [TOKEN],
    maxLen: 3 + 401 + 1,
  },
  {
    name: 'aws-access-key',
    triggers: ['AKIA', 'ASIA'],
    source: leftBounded('(?:AKIA|ASIA)', '[0-9A-Z]{16}'),
    segments: [/[0-9A-Z]/],
    maxLen: 4 + 16 + 1,
  },
  {
    name: 'google-api-key',
    triggers: ['AIza'],
    source: leftBounded('AIza', '[0-9A-Za-z_-]{35}'),
    segments: [TOKEN],
    maxLen: 4 + 35 + 1,
  },
  {
    name: 'github-token',
    triggers: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    source: leftBounded('gh[pousr]_', '[A-Za-z0-9]{30,255}'),
    segments: [/[A-Za-z0-9]/],
    maxLen: 4 + 255 + 1,
  },
  {
    name: 'github-token',
    triggers: ['github_pat_'],
    source: leftBounded('github_pat_', '[A-Za-z0-9_]{22,255}'),
    segments: [/[A-Za-z0-9_]/],
    maxLen: 11 + 255 + 1,
  },
  {
    name: 'slack-token',
    triggers: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-'],
    source: leftBounded('xox[bpars]-', '[A-Za-z0-9-]{10,255}'),
    segments: [/[A-Za-z0-9-]/],
    maxLen: 5 + 255 + 1,
  },
  {
    name: 'bearer-token',
    triggers: ['Bearer', 'bearer', 'BEARER'],
    source: leftBounded(
      '(?:Bearer|bearer|BEARER)',
      '[ \\t]{1,4}(?=[A-Za-z._~+/-]{0,4096}[0-9])[A-Za-z0-9._~+/-]{16,4096}={0,3}',
    ),
    segments: [/[ \t]/, /[A-Za-z0-9._~+/-]/, /=/],
    maxLen: 6 + 4 + 4097 + 3 + 1,
    keepPrefix: /^[A-Za-z]+[ \t]+/,
  },
  {
    name: 'jwt',
    triggers: ['eyJ'],
    source: leftBounded('eyJ', '[A-Za-z0-9_-]{8,1024}\\.eyJ[A-Za-z0-9_-]{2,4096}\\.[A-Za-z0-9_-]{8,1024}'),
    segments: [/[A-Za-z0-9_.-]/],
    maxLen: 3 + 1024 + 1 + 3 + 4096 + 1 + 1024 + 1,
  },
  {
    // Multi-line; without its END line (cut short) the base64 body after BEGIN still goes.
    name: 'private-key',
    triggers: ['-----BEGIN '],
    source: `-----BEGIN ${PEM_LABEL}(?:[\\s\\S]{0,${PEM_BODY}}?-----END ${PEM_LABEL}|[A-Za-z0-9+/=\\s:,.-]{0,${PEM_BODY}})`,
    segments: [],
    maxLen: 11 + 40 + 18 + PEM_BODY + 9 + 40 + 18 + 1,
    unsettled: pemUnsettled,
  },
];

interface Alternative {
  label: string;
  keepPrefix?: RegExp;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function secretEnvValues(opts: RedactorOptions): { label: string; value: string }[] {
  const seen = new Set<string>();
  const found: { label: string; value: string }[] = [];
  const add = (label: string, value: string | undefined): void => {
    if (value === undefined || !isRedactableValue(value) || seen.has(value)) return;
    seen.add(value);
    found.push({ label, value });
  };
  const byName = (env: Record<string, string | undefined>) => Object.entries(env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const env of opts.allEnv ?? []) for (const [name, value] of byName(env)) add(`env:${name}`, value);
  for (const [name, value] of byName(opts.env ?? {})) {
    if (SECRET_ENV_NAME.test(name)) add(`env:${name}`, value);
  }
  for (const value of opts.values ?? []) add('value', value);
  return found.sort((a, b) => b.value.length - a.value.length);
}

export function createRedactor(opts: RedactorOptions = {}): Redactor {
  const envValues = secretEnvValues(opts);
  const alternatives: Alternative[] = [
    ...PATTERNS.map((p) => ({ label: p.name, keepPrefix: p.keepPrefix })),
    ...envValues.map((e) => ({ label: e.label })),
  ];
  const sources = [...PATTERNS.map((p) => p.source), ...envValues.map((e) => escapeRegex(e.value))];
  const matcher = new RegExp(sources.map((s) => `(${s})`).join('|'), 'g');
  const allTriggers = [...new Set(PATTERNS.flatMap((p) => p.triggers))];
  const triggerRe = new RegExp(allTriggers.map(escapeRegex).join('|'), 'g');
  const maxTrigger = Math.max(...allTriggers.map((t) => t.length));
  const maxEnv = Math.max(0, ...envValues.map((e) => e.value.length));
  const maxHoldback = Math.max(maxTrigger, maxEnv, ...PATTERNS.map((p) => p.maxLen));

  function replacement(m: RegExpExecArray): string {
    for (let i = 1; i < m.length; i++) {
      if (m[i] === undefined) continue;
      const alt = alternatives[i - 1];
      const keep = alt.keepPrefix?.exec(m[0])?.[0] ?? '';
      return `${keep}[REDACTED:${alt.label}]`;
    }
    return '[REDACTED]';
  }

  /** Whether a full trigger at q still could become (or stop being) a different match with more input. */
  function unsettled(buf: string, q: number, p: SecretPattern, trigger: string): boolean {
    const len = buf.length;
    if (q + p.maxLen <= len) return false;
    if (p.unsettled) return p.unsettled(buf, q);
    let i = q + trigger.length;
    for (const seg of p.segments) {
      while (i < len && seg.test(buf[i])) i++;
    }
    return i >= len;
  }

  /** First position in [from, to) whose match decision depends on input not yet seen, or -1. */
  function firstTentative(buf: string, from: number, to: number): number {
    const len = buf.length;
    let best = -1;
    triggerRe.lastIndex = from;
    for (let m = triggerRe.exec(buf); m && m.index < to; m = triggerRe.exec(buf)) {
      const q = m.index;
      const hit = PATTERNS.some((p) => p.triggers.some((t) => buf.startsWith(t, q) && unsettled(buf, q, p, t)));
      if (hit) {
        best = q;
        break;
      }
      triggerRe.lastIndex = q + 1;
    }
    let limit = best >= 0 ? best : Math.min(to, len);
    for (let q = Math.max(from, len - maxTrigger + 1); q < limit; q++) {
      const tail = buf.slice(q);
      if (allTriggers.some((t) => t.length > tail.length && t.startsWith(tail))) {
        best = limit = q;
        break;
      }
    }
    for (const { value } of envValues) {
      const first = value.charCodeAt(0);
      for (let q = Math.max(from, len - value.length + 1); q < limit; q++) {
        if (buf.charCodeAt(q) === first && value.startsWith(buf.slice(q))) {
          best = limit = q;
          break;
        }
      }
    }
    return best;
  }

  function spans(buf: string, start: number, final: boolean): { spans: Span[]; cut: number } {
    const found: Span[] = [];
    let pos = start;
    matcher.lastIndex = start;
    for (;;) {
      const m = matcher.exec(buf);
      const at = m ? m.index : buf.length;
      if (!final) {
        const q = firstTentative(buf, pos, m ? at + 1 : buf.length);
        if (q >= 0) return { spans: found, cut: q };
      }
      if (!m) return { spans: found, cut: buf.length };
      pos = at + m[0].length;
      found.push({ from: at, to: pos, text: replacement(m) });
      matcher.lastIndex = pos;
    }
  }

  function scan(buf: string, start: number, final: boolean): { out: string; cut: number } {
    const r = spans(buf, start, final);
    let out = '';
    let pos = start;
    for (const sp of r.spans) {
      out += buf.slice(pos, sp.from) + sp.text;
      pos = sp.to;
    }
    return { out: out + buf.slice(pos, r.cut), cut: r.cut };
  }

  const redact = (text: string): string => scan(text, 0, true).out;

  function redactValue<T>(value: T): T {
    if (typeof value === 'string') return redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => redactValue(v)) as T;
    if (value !== null && typeof value === 'object') {
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[redact(k)] = redactValue(v);
      return out as T;
    }
    return value;
  }

  return { redact, redactValue, maxHoldback, scan, spans };
}

let envless: Redactor | undefined;

/** One-shot redaction; without options only the built-in patterns apply. */
export function redact(text: string, opts?: RedactorOptions): string {
  if (opts) return createRedactor(opts).redact(text);
  envless ??= createRedactor();
  return envless.redact(text);
}

export function createStreamRedactor(redactor: Redactor = (envless ??= createRedactor())): StreamRedactor {
  let context = '';
  let pending = '';
  return {
    push(chunk: string): string {
      if (chunk.length === 0) return '';
      const buf = context + pending + chunk;
      const { out, cut } = redactor.scan(buf, context.length, false);
      pending = buf.slice(cut);
      context = buf.slice(Math.max(0, cut - CONTEXT), cut);
      return out;
    },
    flush(): string {
      if (pending.length === 0) return '';
      const buf = context + pending;
      const { out } = redactor.scan(buf, context.length, true);
      context = buf.slice(Math.max(0, buf.length - CONTEXT));
      pending = '';
      return out;
    },
    get held(): number {
      return pending.length;
    },
  };
}

// Terminal escape sequences (ECMA-48): CSI, OSC (ended by BEL or ST), DCS/SOS/PM/APC (ended by ST), and
// ESC + intermediates + final (`ESC 7`, `ESC ( B`).
// eslint-disable-next-line no-control-regex
const SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[P^_X][^\x1b]*\x1b\\|\x1b[ -/]+[0-~]|\x1b[0-OQ-WYZ\\`a-~]/y;
/** A sequence cut off by the end of the input so far: held back until the rest arrives. */
// eslint-disable-next-line no-control-regex
const PARTIAL = /\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*\x1b?|[P^_X][^\x1b]*\x1b?|[ -/]*)$/y;
/** A string sequence (OSC, DCS…) open for longer than this is treated as text, so holdback stays bounded. */
const MAX_PARTIAL = 4096;

interface Visible {
  /** The text with escape sequences taken out. */
  text: string;
  /** Runs of text: the visible index each starts at, and its raw index. */
  runV: number[];
  runR: number[];
  /** Raw [from, to) of each sequence, in order. */
  seqs: [number, number][];
  /** Raw length covered: the rest is a sequence not yet complete. */
  complete: number;
}

function visible(raw: string, final: boolean): Visible {
  const v: Visible = { text: raw, runV: [0], runR: [0], seqs: [], complete: raw.length };
  let esc = raw.indexOf('\x1b');
  if (esc < 0) return v;
  const parts: string[] = [];
  v.runV = [];
  v.runR = [];
  let n = 0;
  let i = 0;
  for (;;) {
    const end = esc < 0 ? raw.length : esc;
    if (end > i) {
      v.runV.push(n);
      v.runR.push(i);
      parts.push(raw.slice(i, end));
      n += end - i;
      i = end;
    }
    if (esc < 0) break;
    SEQUENCE.lastIndex = i;
    PARTIAL.lastIndex = i;
    if (SEQUENCE.test(raw)) {
      v.seqs.push([i, SEQUENCE.lastIndex]);
      i = SEQUENCE.lastIndex;
    } else if (!final && raw.length - i < MAX_PARTIAL && PARTIAL.test(raw)) {
      v.complete = i;
      break;
    } else {
      // An ESC that starts no sequence shows nothing (a terminal drops it): as transparent as a sequence.
      v.seqs.push([i, i + 1]);
      i++;
    }
    esc = raw.indexOf('\x1b', i);
  }
  v.text = parts.join('');
  return v;
}

/** Raw index of visible char `i` (of the end of the complete input when `i` is past the text). */
function rawIndex(v: Visible, i: number): number {
  if (i >= v.text.length) return v.complete;
  let lo = 0;
  let hi = v.runV.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (v.runV[mid] <= i) lo = mid;
    else hi = mid - 1;
  }
  return v.runR[lo] + (i - v.runV[lo]);
}

/**
 * A stream redactor that sees through terminal escapes: `sk-ant-…ESC[1m…rest` (a token with a style change
 * or a cursor move in the middle) is matched on its text and redacted whole; the sequences inside it are
 * kept, after the replacement, so the terminal state of a replay is unchanged.
 */
function createEscapeBlindStream(redactor: Redactor): StreamRedactor {
  let context = '';
  let pending = '';
  const run = (final: boolean): string => {
    const raw = pending;
    const v = visible(raw, final);
    const buf = context + v.text;
    const { spans, cut } = redactor.spans(buf, context.length, final);
    let out = '';
    let pos = 0;
    let s = 0;
    for (const sp of spans) {
      const from = rawIndex(v, sp.from - context.length);
      const to = rawIndex(v, sp.to - context.length - 1) + 1;
      out += raw.slice(pos, from) + sp.text;
      while (s < v.seqs.length && v.seqs[s][1] <= from) s++;
      for (; s < v.seqs.length && v.seqs[s][0] < to; s++) out += raw.slice(v.seqs[s][0], v.seqs[s][1]);
      pos = to;
    }
    const rawCut = rawIndex(v, cut - context.length);
    out += raw.slice(pos, rawCut);
    pending = raw.slice(rawCut);
    context = buf.slice(Math.max(0, cut - CONTEXT), cut);
    return out;
  };
  return {
    push(chunk: string): string {
      if (chunk.length === 0) return '';
      pending += chunk;
      return run(false);
    },
    flush(): string {
      if (pending.length === 0) return '';
      return run(true);
    },
    get held(): number {
      return pending.length;
    },
  };
}

/**
 * The redactor for terminal output (`.cast`): tokens split by escape sequences are matched on their text,
 * then what is left passes the plain stream redactor (where an escape right before a token is a boundary).
 */
export function createTerminalStreamRedactor(redactor: Redactor = (envless ??= createRedactor())): StreamRedactor {
  const blind = createEscapeBlindStream(redactor);
  const plain = createStreamRedactor(redactor);
  return {
    push: (chunk) => plain.push(blind.push(chunk)),
    flush: () => plain.push(blind.flush()) + plain.flush(),
    get held() {
      return blind.held + plain.held;
    },
  };
}

/** One-shot redaction as the terminal stream redactor does it. */
export function redactTerminal(text: string, redactor: Redactor = (envless ??= createRedactor())): string {
  const s = createTerminalStreamRedactor(redactor);
  return s.push(text) + s.flush();
}
