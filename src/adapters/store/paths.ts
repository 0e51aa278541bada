// Where an execution's files live under the proof/ and trace/ roots, and the list of executions found there.
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createRedactor } from '../../core/redact';
import { InvalidIdError } from './errors';
import { readJson } from './atomic';
import { EVENTS_FILE } from './event-log';

export interface StoreRoots {
  proof: string;
  trace: string;
}

export interface ExecPaths {
  exec: string;
  proofDir: string;
  traceDir: string;
  events: string;
  snapshot: string;
  report: string;
  manifest: string;
  lock: string;
  trajectoriesDir: string;
  workspace: string;
  transcript(unit: string, agent: string): string;
  cast(unit: string, agent: string): string;
  trajectory(unit: string): string;
  /** The agent's terminal text at the end of a session (redacted): what `transcriptMatches` is judged on. */
  outputText(unit: string, agent: string): string;
  /** Re-evaluations of a scenario execution (`conductor reeval`): `eval-<n>.json`. */
  evaluationsDir: string;
  /** A comparison: each lane's workspace, its files before anything ran, and what the lane changed by its end. */
  laneWorkspace(lane: string): string;
  laneBase(lane: string): string;
  laneChanges(lane: string): string;
}

const EXEC_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `exec-YYYYMMDD-HHMMSS-xxxx` in UTC, `xxxx` four base-36 chars from `rand` (0 <= rand() < 1). */
export function newExecId(now: number | Date = Date.now(), rand: () => number = Math.random): string {
  const d = new Date(now);
  const date = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  const r = Math.min(36 ** 4 - 1, Math.max(0, Math.floor(rand() * 36 ** 4)));
  return `exec-${date}-${time}-${r.toString(36).padStart(4, '0')}`;
}

export function isExecId(id: string): boolean {
  return EXEC_ID.test(id) && !id.includes('..');
}

/** Throws InvalidIdError unless `id` is safe to use as a folder name (no separators, no `..`). */
export function assertExecId(id: string): string {
  if (!isExecId(id)) throw new InvalidIdError(id, 'execution id');
  return id;
}

/** Ids kept as they are in file names: lower-case letters, digits, `.`, `_`, `-`, not leading with a dot. */
const PLAIN_ID = /^[a-z0-9_-][a-z0-9._-]{0,79}$/;
// Built-in patterns only (no environment values): a name must come out the same in every run, or resume
// would not find the files the first run wrote.
const secrets = createRedactor();

const shortHash = (id: string): string => createHash('sha256').update(id).digest('hex').slice(0, 10);

/**
 * A step, trial or agent id as a file name, different for different ids. Plain ids are kept; any other id
 * (other chars, upper case, which case-insensitive disks fold, or over 80 chars) is cleaned and gets `~` and a
 * hash of the original, and `~` is never in a kept id. An id that looks like a secret becomes `redacted~<hash of its redacted form>`, the same before and after resume.
 */
export function safeId(id: string): string {
  // Named by the redacted form, which is also the id a resumed execution reads back from its (redacted) log.
  const redacted = secrets.redact(id);
  if (redacted !== id || /\[REDACTED[:\]]/.test(id)) return `redacted~${shortHash(redacted)}`;
  if (PLAIN_ID.test(id)) return id;
  const cleaned = id
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[.]+/, '_')
    .slice(0, 60);
  return `${cleaned || '_'}~${shortHash(id)}`;
}

export function execPaths(roots: StoreRoots, exec: string): ExecPaths {
  assertExecId(exec);
  const proofDir = join(roots.proof, exec);
  const traceDir = join(roots.trace, exec);
  const trajectoriesDir = join(traceDir, 'trajectories');
  return {
    exec,
    proofDir,
    traceDir,
    events: join(traceDir, EVENTS_FILE),
    snapshot: join(proofDir, 'execution.json'),
    report: join(proofDir, 'report.md'),
    manifest: join(traceDir, 'manifest.json'),
    lock: join(traceDir, 'lock.json'),
    trajectoriesDir,
    workspace: join(traceDir, 'workspace'),
    transcript: (unit, agent) => join(proofDir, `step-${safeId(unit)}-${safeId(agent)}.md`),
    cast: (unit, agent) => join(proofDir, `step-${safeId(unit)}-${safeId(agent)}.cast`),
    trajectory: (unit) => join(trajectoriesDir, `${safeId(unit)}.jsonl`),
    outputText: (unit, agent) => join(traceDir, 'output', `${safeId(unit)}-${safeId(agent)}.txt`),
    evaluationsDir: join(traceDir, 'evaluations'),
    laneWorkspace: (lane) => join(traceDir, 'workspace', safeId(lane)),
    laneBase: (lane) => join(traceDir, 'lanes', `${safeId(lane)}.base.json`),
    laneChanges: (lane) => join(traceDir, 'lanes', `${safeId(lane)}.json`),
  };
}

export interface ExecutionSummary {
  exec: string;
  /** proof/<exec> when it exists, else trace/<exec>. */
  dir: string;
  proofDir: string;
  traceDir: string;
  status: string;
  goal?: string;
  file?: string;
  /** Epoch ms. */
  startedAt?: number;
  updatedAt?: number;
  /** Which file the summary was read from. */
  source: 'snapshot' | 'events';
}

export interface ListOptions {
  /** Called for each entry that could not be read; such entries are left out. */
  onSkip?: (exec: string, reason: string) => void;
}

function dirNames(root: string): string[] {
  try {
    return readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
}

function toMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const t = Date.parse(value);
    if (!Number.isNaN(t)) return t;
  }
  return undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

const EDGE_BYTES = 256 * 1024;

function readRange(path: string, fromEnd: boolean): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const len = Math.min(size, EDGE_BYTES);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, fromEnd ? size - len : 0);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function parseObject(line: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(line);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const FINISHED = new Set(['execution.finished', 'execution.completed', 'execution.failed', 'execution.cancelled']);

function fromEvents(path: string): Omit<ExecutionSummary, 'exec' | 'dir' | 'proofDir' | 'traceDir'> {
  const head = readRange(path, false).split('\n');
  const first = parseObject(head[0] ?? '');
  if (!first) throw new Error(`${path}: first line is not an event`);
  const tailLines = readRange(path, true).split('\n').filter((l) => l.trim().length > 0);
  let last: Record<string, unknown> | undefined;
  for (let i = tailLines.length - 1; i >= 0 && !last; i--) last = parseObject(tailLines[i]);
  last ??= first;
  const lastType = str(last.type) ?? '';
  const status = FINISHED.has(lastType) ? (str(last.status) ?? lastType.slice('execution.'.length)) : 'interrupted';
  return {
    status,
    goal: str(first.goal) ?? str(first.name),
    file: str(first.file),
    startedAt: toMs(first.ts),
    updatedAt: toMs(last.ts),
    source: 'events',
  };
}

function fromSnapshot(path: string): Omit<ExecutionSummary, 'exec' | 'dir' | 'proofDir' | 'traceDir'> {
  const snap = readJson<unknown>(path);
  if (!snap || typeof snap !== 'object' || Array.isArray(snap)) throw new Error(`${path}: not a JSON object`);
  const s = snap as Record<string, unknown>;
  return {
    status: str(s.status) ?? 'unknown',
    goal: str(s.goal) ?? str(s.name),
    file: str(s.file),
    startedAt: toMs(s.startedAt) ?? toMs(s.createdAt),
    updatedAt: toMs(s.updatedAt) ?? toMs(s.finishedAt),
    source: 'snapshot',
  };
}

/** Executions under the roots, newest first. Unreadable entries are skipped (see `onSkip`), never thrown. */
export function listExecutions(roots: StoreRoots, opts: ListOptions = {}): ExecutionSummary[] {
  const ids = new Set([...dirNames(roots.proof), ...dirNames(roots.trace)].filter((n) => n.startsWith('exec-')));
  const found: ExecutionSummary[] = [];
  for (const exec of ids) {
    if (!isExecId(exec)) {
      opts.onSkip?.(exec, 'not a valid execution id');
      continue;
    }
    const p = execPaths(roots, exec);
    const dir = existsSync(p.proofDir) ? p.proofDir : p.traceDir;
    const reasons: string[] = [];
    let summary: ReturnType<typeof fromSnapshot> | undefined;
    for (const [file, read] of [
      [p.snapshot, fromSnapshot],
      [p.events, fromEvents],
    ] as const) {
      if (summary || !existsSync(file)) continue;
      try {
        summary = read(file);
      } catch (err) {
        reasons.push((err as Error).message);
      }
    }
    if (!summary) {
      opts.onSkip?.(exec, reasons.length > 0 ? reasons.join('; ') : 'no execution.json or events.jsonl');
      continue;
    }
    if (summary.startedAt === undefined) {
      try {
        summary.startedAt = statSync(dir).birthtimeMs || statSync(dir).mtimeMs;
      } catch {
        // leave undefined
      }
    }
    found.push({ exec, dir, proofDir: p.proofDir, traceDir: p.traceDir, ...summary });
  }
  return found.sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0) || (a.exec < b.exec ? 1 : a.exec > b.exec ? -1 : 0));
}
