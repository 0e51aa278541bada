// trace/<exec>/trajectories/<unit>.jsonl (one typed event log per session) and trace/<exec>/manifest.json.
import { existsSync, mkdirSync, openSync, readFileSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Redactor } from '../../core/redact';
import { readJson, writeJsonAtomic, writeRawAtomic } from './atomic';
import { readJsonlLog, repairTail, type EventLogContents } from './event-log';
import { JsonlAppender, type AppenderOptions } from './jsonl-appender';
import { storeRedactor } from './redaction';

/** One trajectory line: `seq` and `ts` are stamped by the writer when missing. */
export interface TrajectoryEventInput {
  type: string;
  ts?: number;
  [key: string]: unknown;
}

export interface TrajectoryLine {
  seq: number;
  ts: number;
  unit: string;
  session?: string;
  type: string;
  [key: string]: unknown;
}

export interface TrajectoryOptions extends AppenderOptions {
  unit: string;
  session?: string;
  redactor?: Redactor;
  now?: () => number;
}

export class TrajectoryWriter {
  private seq = 0;
  private readonly appender: JsonlAppender;
  private readonly redactor: Redactor;
  private readonly now: () => number;

  private constructor(
    readonly path: string,
    private readonly opts: TrajectoryOptions,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.appender = new JsonlAppender(openSync(path, 'a'), opts);
    this.redactor = opts.redactor ?? storeRedactor();
    this.now = opts.now ?? Date.now;
  }

  /** Opens (appending to) the trajectory file; a retried session starts its seq after what is there. */
  static open(path: string, opts: TrajectoryOptions): TrajectoryWriter {
    let lastSeq = 0;
    if (existsSync(path)) {
      const contents = readJsonlLog(path);
      repairTail(path, contents);
      lastSeq = contents.events.at(-1)?.seq ?? 0;
    }
    const w = new TrajectoryWriter(path, opts);
    w.seq = lastSeq;
    return w;
  }

  /** `session` names the session a line without its own belongs to (default: the one given to open). */
  append(event: TrajectoryEventInput, opts: { sync?: boolean; session?: string } = {}): TrajectoryLine {
    const line = trajectoryLine(event, { seq: this.seq + 1, ts: this.now(), unit: this.opts.unit, session: opts.session ?? this.opts.session });
    this.seq = line.seq;
    this.appender.write(serializeTrajectoryLine(line, this.redactor), opts.sync === true);
    return line;
  }

  flush(): void {
    this.appender.flush(false);
  }

  close(): void {
    this.appender.close();
  }
}

/** One trajectory line from an event: the event's own seq/ts/session when it has them (log events do), else the defaults. */
export function trajectoryLine(event: TrajectoryEventInput, d: { seq: number; ts: number; unit: string; session?: string }): TrajectoryLine {
  const { type, ts, ...rest } = event;
  const line: TrajectoryLine = { seq: d.seq, ts: ts ?? d.ts, unit: d.unit, type, ...rest };
  if (d.session !== undefined && line.session === undefined) line.session = d.session;
  return line;
}

const LEADING_KEYS = ['seq', 'ts', 'exec', 'unit', 'session', 'type'];

/**
 * One line as stored: the same bytes whether written live or rebuilt from the log (an event read back from the log
 * has its keys in another order than the live object), so a rebuild of an intact trajectory changes nothing.
 */
export function serializeTrajectoryLine(line: TrajectoryLine, redactor: Redactor = storeRedactor()): string {
  const keys = [...LEADING_KEYS.filter((k) => k in line), ...Object.keys(line).filter((k) => !LEADING_KEYS.includes(k)).sort()];
  const ordered: Record<string, unknown> = {};
  for (const k of keys) ordered[k] = line[k];
  return JSON.stringify(redactor.redactValue(ordered));
}

/**
 * Makes the trajectory file hold exactly `lines` (atomically; removed when there are none). A trajectory is derived
 * from the event log, so whatever it held before (lines the log lost in a kill, reissued seqs, a torn or corrupt
 * line) is replaced. Returns whether the file had to change.
 */
export function rewriteTrajectory(path: string, lines: TrajectoryLine[], opts: { redactor?: Redactor } = {}): boolean {
  const text = lines.map((l) => `${serializeTrajectoryLine(l, opts.redactor)}\n`).join('');
  let before: string | undefined;
  try {
    before = readFileSync(path, 'utf8');
  } catch {
    before = undefined;
  }
  if (before === (lines.length ? text : undefined)) return false;
  if (!lines.length) {
    unlinkSync(path);
    return true;
  }
  writeRawAtomic(path, text);
  return true;
}

/** Reads a trajectory (a torn last line is reported, as for the event log). */
export function readTrajectory(path: string): EventLogContents {
  return readJsonlLog(path);
}

export interface ManifestUnit {
  kind: 'step' | 'trial';
  /** Paths are stored as given; relative to the trace root is the convention. */
  trajectory: string;
  status: string;
  /** Trials: the weighted share of assertions passed. */
  score?: number;
  session?: string;
  transcript?: string;
  cast?: string;
}

export interface Manifest {
  exec: string;
  units: Record<string, ManifestUnit>;
}

export function writeManifest(path: string, manifest: Manifest, opts: { redactor?: Redactor } = {}): void {
  writeJsonAtomic(path, manifest, opts);
}

export function readManifest(path: string): Manifest {
  return readJson<Manifest>(path);
}
