// One conductor per execution: an exclusive flock(2) on the trace/<exec>/ folder itself, held on an open fd for the
// process's whole life. The kernel drops it when the process ends (kill -9 included), and no file operation can take
// it away: deleting or replacing lock.json changes nothing. lock.json only says who holds it, for messages.
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import fsExt from 'fs-ext';
import { writeJsonAtomic } from './atomic';
import { LockedError, StoreError } from './errors';

export const LOCK_FILE = 'lock.json';

export interface LockInfo {
  pid: number;
  /** ISO time the lock was taken. */
  startedAt: string;
  host: string;
}

export interface LockOptions {
  now?: number;
}

export interface Lock {
  readonly path: string;
  readonly info: LockInfo;
  /** Set when lock.json still named a conductor that ended without releasing (killed): "took over a stale lock left by pid N". */
  readonly tookOver?: { pid: number; startedAt: string };
  /** Drops the OS lock and removes lock.json if it is still ours. */
  release(): void;
}

function readLock(path: string): LockInfo | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
    if (v && typeof v === 'object' && Number.isInteger(v.pid) && v.pid > 0) return v;
  } catch {
    // missing or unreadable: it only ever informed a message
  }
  return undefined;
}

const sameLock = (a: LockInfo | undefined, b: LockInfo | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);

const busy = (err: unknown): boolean => ['EAGAIN', 'EWOULDBLOCK'].includes((err as NodeJS.ErrnoException).code ?? '');

/**
 * Locks trace/<exec>/ for this process until release() or exit. Throws LockedError when another process (or another
 * acquireLock in this one) holds it, whatever lock.json says or whether it exists.
 */
export function acquireLock(traceExecDir: string, opts: LockOptions = {}): Lock {
  const path = join(traceExecDir, LOCK_FILE);
  const exec = basename(traceExecDir);
  for (let attempt = 0; ; attempt++) {
    mkdirSync(traceExecDir, { recursive: true });
    const fd = openSync(traceExecDir, 'r');
    try {
      fsExt.flockSync(fd, 'exnb');
    } catch (err) {
      closeSync(fd);
      if (!busy(err)) throw new StoreError(`${traceExecDir}: could not lock the execution: ${(err as Error).message}`);
      const holder = readLock(path);
      throw new LockedError(exec, holder, path);
    }
    // The folder may have been removed (and made again) between open and flock: a lock on a folder nobody can reach
    // any more keeps nobody out. Lock what the path names now.
    let same = false;
    try {
      const held = fstatSync(fd);
      const named = statSync(traceExecDir);
      same = held.ino === named.ino && held.dev === named.dev;
    } catch {
      same = false;
    }
    if (!same) {
      closeSync(fd);
      if (attempt >= 5) throw new StoreError(`${traceExecDir}: could not lock the execution (the folder keeps being replaced)`);
      continue;
    }
    return locked(fd, path, opts);
  }
}

function locked(fd: number, path: string, opts: LockOptions): Lock {
  const info: LockInfo = { pid: process.pid, startedAt: new Date(opts.now ?? Date.now()).toISOString(), host: hostname() };
  const previous = readLock(path);
  // We hold the lock, so whoever lock.json names no longer does: it ended without removing the file.
  const tookOver = previous && !(previous.pid === process.pid && previous.host === info.host) ? { pid: previous.pid, startedAt: previous.startedAt } : undefined;
  try {
    writeJsonAtomic(path, info);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  let released = false;
  return {
    path,
    info,
    tookOver,
    release(): void {
      if (released) return;
      released = true;
      try {
        if (sameLock(readLock(path), info)) unlinkSync(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      } finally {
        // Closing the fd drops the flock.
        closeSync(fd);
      }
    },
  };
}
