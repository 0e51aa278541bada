// Append-only line writer shared by the event log and trajectories: synchronous writes, batched non-urgent lines.
import { closeSync, fstatSync, fsyncSync, ftruncateSync, writeSync } from 'node:fs';
import { isWriteFault, pathOfFd, writeFault } from './write-fault';

export interface AppenderOptions {
  /** Batched lines reach the file at least this often (ms). */
  flushIntervalMs?: number;
  /** Batched bytes that force an immediate write. */
  maxBufferBytes?: number;
}

interface Flushable {
  flush(): void;
}

const open = new Set<Flushable>();
let exitHook = false;

/** Batched lines still reach the file when the process exits without closing its writer. */
export function flushOnExit(writer: Flushable): void {
  open.add(writer);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const w of open) {
        try {
          w.flush();
        } catch {
          // the process is exiting; nothing left to report to
        }
      }
    });
  }
}

export function forgetOnExit(writer: Flushable): void {
  open.delete(writer);
}

export class JsonlAppender {
  private lines: string[] = [];
  private bytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private failure: unknown;
  private closed = false;
  private readonly interval: number;
  private readonly maxBytes: number;

  constructor(
    private readonly fd: number,
    opts: AppenderOptions = {},
  ) {
    this.interval = opts.flushIntervalMs ?? 100;
    this.maxBytes = opts.maxBufferBytes ?? 256 * 1024;
    flushOnExit(this);
  }

  /** Adds one line (without newline). `sync` writes everything pending and fsyncs before returning. */
  write(line: string, sync: boolean): void {
    this.check();
    this.lines.push(line);
    this.bytes += line.length + 1;
    if (sync) this.flush(true);
    else if (this.bytes >= this.maxBytes) this.flush(false);
    else this.timer ??= setTimeout(() => this.flushFromTimer(), this.interval).unref();
  }

  flush(fsync = false): void {
    this.check();
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.lines.length > 0) {
      const chunk = `${this.lines.join('\n')}\n`;
      this.lines = [];
      this.bytes = 0;
      writeAll(this.fd, chunk);
    }
    if (fsync) {
      try {
        fsyncSync(this.fd);
      } catch (err) {
        if (isWriteFault(err)) writeFault(err, pathOfFd(this.fd));
        throw err;
      }
    }
  }

  close(): void {
    if (this.closed) return;
    try {
      this.flush(true);
    } finally {
      this.closed = true;
      forgetOnExit(this);
      closeSync(this.fd);
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private flushFromTimer(): void {
    this.timer = undefined;
    if (this.closed) return;
    try {
      this.flush(false);
    } catch (err) {
      this.failure = err;
    }
  }

  private check(): void {
    if (this.closed) throw new Error('write after close');
    if (this.failure !== undefined) {
      const err = this.failure;
      this.failure = undefined;
      throw err;
    }
  }
}

/**
 * Writes all of `text` (whole lines) at the end of the file. When the disk refuses (full, I/O error), the
 * part of `text` that did land is cut off again, so the file still ends with a whole line, and the fault
 * is reported (see write-fault.ts) before it is thrown.
 */
export function writeAll(fd: number, text: string): void {
  const data = Buffer.from(text, 'utf8');
  let off = 0;
  try {
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
  } catch (err) {
    if (off > 0) {
      try {
        ftruncateSync(fd, fstatSync(fd).size - off);
      } catch {
        /* the reader tolerates a torn last line */
      }
    }
    if (isWriteFault(err)) writeFault(err, pathOfFd(fd));
    throw err;
  }
}
