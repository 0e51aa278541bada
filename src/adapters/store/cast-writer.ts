// asciicast v2 recordings of a PTY session streamed to disk (redacted per direction), and a strict reader.
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createTerminalStreamRedactor, type Redactor, type StreamRedactor } from '../../core/redact';
import { CastFormatError, StoreError } from './errors';
import { flushOnExit, forgetOnExit, writeAll } from './jsonl-appender';
import { storeRedactor } from './redaction';

export interface CastHeader {
  version: 2;
  width: number;
  height: number;
  /** Unix seconds of the recording's start. */
  timestamp: number;
  command?: string;
  title?: string;
  env?: { SHELL?: string; TERM?: string };
}

export type CastEventCode = 'o' | 'i' | 'r' | 'm';
export type CastEvent = [seconds: number, code: CastEventCode, data: string];

export interface CastWriterOptions {
  width: number;
  height: number;
  /** Epoch ms that is second 0 of the recording: the same clock as the event log's `ts`. */
  startMs: number;
  command?: string;
  title?: string;
  env?: { SHELL?: string; TERM?: string };
  redactor?: Redactor;
  /** Buffered bytes that trigger a write (memory stays bounded by this). */
  maxBufferBytes?: number;
  /** Buffered lines reach the file at least this often (ms). */
  flushIntervalMs?: number;
  /**
   * The most bytes the file may grow to with output and input (default DEFAULT_MAX_CAST_BYTES). Past it, one marker
   * and one output line say the rest was not recorded; resizes and markers go on being recorded.
   */
  maxFileBytes?: number;
}

export const DEFAULT_MAX_CAST_BYTES = 100 * 1024 * 1024;

const mb = (bytes: number): string => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

export class CastWriter {
  private readonly fd: number;
  private readonly startMs: number;
  private readonly redactor: Redactor;
  private readonly streams: Record<'o' | 'i', StreamRedactor>;
  private readonly maxBytes: number;
  private lines: string[] = [];
  private bytes = 0;
  private lastSeconds = 0;
  private lastTs: number;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly interval: number;
  private readonly maxFileBytes: number;
  /** Bytes of every line pushed so far (written or buffered). */
  private fileBytes = 0;
  private capped = false;

  private constructor(
    readonly path: string,
    opts: CastWriterOptions,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
    this.startMs = opts.startMs;
    this.lastTs = opts.startMs;
    this.redactor = opts.redactor ?? storeRedactor();
    // Terminal bytes: a token with a style change or cursor move in the middle is still one token.
    this.streams = { o: createTerminalStreamRedactor(this.redactor), i: createTerminalStreamRedactor(this.redactor) };
    this.maxBytes = opts.maxBufferBytes ?? 64 * 1024;
    this.interval = opts.flushIntervalMs ?? 200;
    this.maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_CAST_BYTES;
    const header: CastHeader = {
      version: 2,
      width: opts.width,
      height: opts.height,
      timestamp: Math.floor(opts.startMs / 1000),
    };
    if (opts.command !== undefined) header.command = this.redactor.redact(opts.command);
    if (opts.title !== undefined) header.title = this.redactor.redact(opts.title);
    header.env = {
      SHELL: opts.env?.SHELL ?? process.env.SHELL ?? '/bin/sh',
      TERM: opts.env?.TERM ?? 'xterm-256color',
    };
    this.push(JSON.stringify(header));
    flushOnExit(this);
  }

  static open(path: string, opts: CastWriterOptions): CastWriter {
    return new CastWriter(path, opts);
  }

  /** Output the agent wrote to the terminal, received at `ts` (epoch ms). */
  output(ts: number, data: string): void {
    this.stream(ts, 'o', data);
  }

  /** Input sent to the agent at `ts`. */
  input(ts: number, data: string): void {
    this.stream(ts, 'i', data);
  }

  resize(ts: number, cols: number, rows: number): void {
    this.event(ts, 'r', `${cols}x${rows}`);
  }

  /** A named point in the recording (approval asked/answered, state change). */
  marker(ts: number, label: string): void {
    this.event(ts, 'm', this.redactor.redact(label));
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.lines.length === 0) return;
    const chunk = `${this.lines.join('\n')}\n`;
    this.lines = [];
    this.bytes = 0;
    writeAll(this.fd, chunk);
  }

  /** Releases held-back output, writes everything and closes the file. */
  close(ts: number = this.lastTs): void {
    if (this.closed) return;
    for (const code of ['o', 'i'] as const) {
      const rest = this.streams[code].flush();
      if (rest) this.event(ts, code, rest);
    }
    try {
      this.flush();
    } finally {
      this.closed = true;
      forgetOnExit(this);
      closeSync(this.fd);
    }
  }

  /** Whether the recording stopped keeping output at its size cap. */
  get truncated(): boolean {
    return this.capped;
  }

  private stream(ts: number, code: 'o' | 'i', data: string): void {
    this.ensureOpen();
    const safe = this.streams[code].push(data);
    if (safe) this.event(ts, code, safe);
    else this.lastTs = Math.max(this.lastTs, ts);
  }

  private event(ts: number, code: CastEventCode, data: string): void {
    this.ensureOpen();
    this.lastTs = Math.max(this.lastTs, ts);
    if (this.capped && (code === 'o' || code === 'i')) return;
    const seconds = Math.max(this.lastSeconds, Math.round(Math.max(0, ts - this.startMs)) / 1000);
    this.lastSeconds = seconds;
    const line = JSON.stringify([seconds, code, data]);
    if ((code === 'o' || code === 'i') && this.fileBytes + Buffer.byteLength(line) + 1 > this.maxFileBytes) {
      // A player shows the output line; a reader of markers finds the "m". Both stay far below any cap.
      this.capped = true;
      const note = `output beyond ${mb(this.maxFileBytes)} was not recorded (recording.maxCastMB in conductor.yaml)`;
      this.push(JSON.stringify([seconds, 'm', note]));
      this.push(JSON.stringify([seconds, 'o', `\r\n\x1b[0m[conductor: ${note}]\r\n`]));
      return;
    }
    this.push(line);
  }

  private push(line: string): void {
    this.lines.push(line);
    this.fileBytes += Buffer.byteLength(line) + 1;
    this.bytes += line.length + 1;
    if (this.bytes >= this.maxBytes) this.flush();
    else
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        if (!this.closed) this.flush();
      }, this.interval).unref();
  }

  private ensureOpen(): void {
    if (this.closed) throw new StoreError(`${this.path}: write after close`);
  }
}

export interface CastFile {
  header: CastHeader;
  events: CastEvent[];
  /** The last line was cut short (the writer was killed mid-line) and was dropped. */
  torn?: { line: number };
}

const CODES = new Set(['o', 'i', 'r', 'm']);

/** Parses and validates an asciicast v2 file. A last event line that is not JSON (torn by a kill) is dropped and reported. */
export function readCast(path: string): CastFile {
  const lines = readFileSync(path, 'utf8').split('\n');
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) throw new CastFormatError(path, 1, 'empty file');
  let header: CastHeader;
  try {
    header = JSON.parse(lines[0]) as CastHeader;
  } catch {
    throw new CastFormatError(path, 1, 'header is not JSON');
  }
  if (!header || typeof header !== 'object' || header.version !== 2) throw new CastFormatError(path, 1, 'version is not 2');
  if (!Number.isInteger(header.width) || !Number.isInteger(header.height) || header.width <= 0 || header.height <= 0) {
    throw new CastFormatError(path, 1, 'width and height must be positive integers');
  }
  const events: CastEvent[] = [];
  let prev = 0;
  let torn: CastFile['torn'];
  for (let i = 1; i < lines.length; i++) {
    let ev: unknown;
    try {
      ev = JSON.parse(lines[i]);
    } catch {
      if (i === lines.length - 1) {
        torn = { line: i + 1 };
        break;
      }
      throw new CastFormatError(path, i + 1, 'event is not JSON');
    }
    if (!Array.isArray(ev) || ev.length !== 3) throw new CastFormatError(path, i + 1, 'event is not [time, code, data]');
    const [t, code, data] = ev as unknown[];
    if (typeof t !== 'number' || !Number.isFinite(t) || t < prev) throw new CastFormatError(path, i + 1, 'time goes backwards');
    if (typeof code !== 'string' || !CODES.has(code)) throw new CastFormatError(path, i + 1, `unknown event code ${String(code)}`);
    if (typeof data !== 'string') throw new CastFormatError(path, i + 1, 'data is not a string');
    if (code === 'r' && !/^\d+x\d+$/.test(data)) throw new CastFormatError(path, i + 1, 'resize data is not COLSxROWS');
    prev = t;
    events.push([t, code as CastEventCode, data]);
  }
  return torn ? { header, events, torn } : { header, events };
}
