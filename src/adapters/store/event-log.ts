// trace/<exec>/events.jsonl: the append-only, redacted event log that resume replays (torn last line tolerated).
import { closeSync, existsSync, fstatSync, ftruncateSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Redactor } from '../../core/redact';
import { EventLogCorruptError, EventSeqError, StoreError } from './errors';
import { fsyncDir } from './atomic';
import { JsonlAppender, writeAll, type AppenderOptions } from './jsonl-appender';
import { storeRedactor } from './redaction';

export const EVENTS_FILE = 'events.jsonl';

/** A line of the log: every event carries these; the rest depends on `type`. */
export interface StoredEvent {
  seq: number;
  ts: number;
  exec: string;
  type: string;
  [key: string]: unknown;
}

/** An event as handed to `append`: seq, ts and exec are stamped by the log when missing. */
export interface EventInput {
  type: string;
  seq?: number;
  ts?: number;
  exec?: string;
  [key: string]: unknown;
}

export interface TornLine {
  /** 1-based line number of the partial line. */
  line: number;
  /** Its text (at most 1000 chars). */
  text: string;
  /** Byte offset where it starts: the log is valid up to here. */
  offset: number;
}

export interface EventLogContents {
  events: StoredEvent[];
  torn?: TornLine;
}

export interface EventLogOptions extends AppenderOptions {
  redactor?: Redactor;
  now?: () => number;
}

export interface AppendOptions {
  /** Write and fsync before returning (state changes, approvals). Otherwise batched (output). */
  sync?: boolean;
}

export class EventLog {
  private seq: number;
  private readonly appender: JsonlAppender;
  private readonly redactor: Redactor;
  private readonly now: () => number;

  private constructor(
    readonly path: string,
    readonly exec: string,
    fd: number,
    lastSeq: number,
    opts: EventLogOptions,
    /** What openForAppend found in the log (empty for a new log). */
    readonly recovered: EventLogContents,
  ) {
    this.seq = lastSeq;
    this.appender = new JsonlAppender(fd, opts);
    this.redactor = opts.redactor ?? storeRedactor();
    this.now = opts.now ?? Date.now;
  }

  /** Starts a new log in `dir` (trace/<exec>); fails if one already exists there. */
  static create(dir: string, exec: string, opts: EventLogOptions = {}): EventLog {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, EVENTS_FILE);
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new StoreError(`${path} already exists: resume the execution instead of creating it again`);
      }
      throw err;
    }
    fsyncDir(dir);
    return new EventLog(path, exec, fd, 0, opts, { events: [] });
  }

  /** Reopens an existing log after a crash or exit: drops a torn last line and continues its seq. */
  static openForAppend(dir: string, opts: EventLogOptions = {}): EventLog {
    const path = join(dir, EVENTS_FILE);
    if (!existsSync(path)) throw new StoreError(`no event log at ${path}`);
    const contents = readEventLog(path);
    repairTail(path, contents);
    const exec = contents.events[0]?.exec ?? basename(dirname(path));
    const lastSeq = contents.events.at(-1)?.seq ?? 0;
    return new EventLog(path, exec, openSync(path, 'a'), lastSeq, opts, contents);
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Stamps, redacts and writes one event; returns the stamped (unredacted) event. */
  append<E extends EventInput>(event: E, opts: AppendOptions = {}): E & StoredEvent {
    if (event.seq !== undefined && (!Number.isInteger(event.seq) || event.seq <= this.seq)) {
      throw new EventSeqError(this.path, event.seq, this.seq);
    }
    if (event.exec !== undefined && event.exec !== this.exec) {
      throw new StoreError(`${this.path}: event for ${event.exec} appended to the log of ${this.exec}`);
    }
    const { seq, ts, exec: _exec, type, ...rest } = event;
    const stamped = { seq: seq ?? this.seq + 1, ts: ts ?? this.now(), exec: this.exec, type, ...rest } as E & StoredEvent;
    const line = JSON.stringify(this.redactor.redactValue(stamped));
    this.appender.write(line, opts.sync === true);
    this.seq = stamped.seq;
    return stamped;
  }

  /** Writes batched lines now; `sync` also fsyncs. */
  flush(opts: AppendOptions = {}): void {
    this.appender.flush(opts.sync === true);
  }

  close(): void {
    this.appender.close();
  }
}

/** Cuts a torn last line off and makes sure the file ends with a newline, so appends start a fresh line. */
export function repairTail(path: string, contents: EventLogContents): void {
  const fd = openSync(path, 'r+');
  try {
    if (contents.torn) ftruncateSync(fd, contents.torn.offset);
    const size = fstatSync(fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) {
        const nl = openSync(path, 'a');
        try {
          writeAll(nl, '\n');
        } finally {
          closeSync(nl);
        }
      }
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const MAX_TORN_TEXT = 1000;

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

export interface JsonlScan {
  /** The valid events before the first bad line. */
  events: StoredEvent[];
  /** Byte offset where each of `events` starts. */
  offsets: number[];
  /** The first line that is not a valid event, if any. */
  bad?: {
    /** 1-based. */
    line: number;
    /** Byte offset where it starts: everything before it is valid. */
    offset: number;
    reason: string;
    text: string;
    /** It is the last non-blank line (a torn write looks like this). */
    last: boolean;
  };
  /** Non-blank lines from the bad one to the end (0 when there is none). */
  dropped: number;
}

/** Reads a JSONL log up to its first line that is not an object with a strictly increasing integer `seq` and a string `type`. */
export function scanJsonlLog(path: string): JsonlScan {
  const data = readFileSync(path);
  const segments: { start: number; end: number }[] = [];
  let offset = 0;
  while (offset < data.length) {
    const nl = data.indexOf(0x0a, offset);
    const end = nl < 0 ? data.length : nl;
    segments.push({ start: offset, end });
    offset = end + 1;
  }
  let last = segments.length - 1;
  while (last >= 0 && isBlank(data, segments[last].start, segments[last].end)) last--;

  const events: StoredEvent[] = [];
  const offsets: number[] = [];
  let prevSeq = 0;
  for (let i = 0; i <= last; i++) {
    const { start, end } = segments[i];
    if (isBlank(data, start, end)) continue;
    const text = data.toString('utf8', start, end);
    const problem = validateLine(text, prevSeq);
    if (typeof problem === 'string') {
      let dropped = 0;
      for (let j = i; j <= last; j++) if (!isBlank(data, segments[j].start, segments[j].end)) dropped++;
      return { events, offsets, bad: { line: i + 1, offset: start, reason: problem, text: text.slice(0, MAX_TORN_TEXT), last: i === last }, dropped };
    }
    events.push(problem);
    offsets.push(start);
    prevSeq = problem.seq;
  }
  return { events, offsets, dropped: 0 };
}

/**
 * Parses a JSONL log whose lines are objects with a strictly increasing integer `seq` and a string `type`.
 * A malformed last line is reported as `torn`; a malformed line before it throws EventLogCorruptError.
 */
export function readJsonlLog(path: string): EventLogContents {
  const { events, bad } = scanJsonlLog(path);
  if (!bad) return { events };
  if (bad.last && bad.reason !== SEQ_PROBLEM) return { events, torn: { line: bad.line, text: bad.text, offset: bad.offset } };
  throw new EventLogCorruptError(path, bad.line, bad.reason);
}

const SEQ_PROBLEM = 'seq is not greater than the previous line';

function validateLine(text: string, prevSeq: number): StoredEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `invalid JSON: ${(err as Error).message}`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const ev = value as StoredEvent;
  if (!Number.isInteger(ev.seq)) return 'missing integer seq';
  if (typeof ev.type !== 'string') return 'missing type';
  if (ev.seq <= prevSeq) return SEQ_PROBLEM;
  return ev;
}

/** Reads trace/<exec>/events.jsonl (or any path to one). */
export function readEventLog(path: string): EventLogContents {
  return readJsonlLog(path);
}
