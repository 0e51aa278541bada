// trace/<exec>/lock.json: one conductor per execution; a lock left by a dead (or reused) pid is taken over.
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { fsyncDir } from './atomic';
import { LockedError, StoreError } from './errors';

export const LOCK_FILE = 'lock.json';

export interface LockInfo {
  pid: number;
  /** ISO time the lock was taken. */
  startedAt: string;
  host: string;
  /** Kernel start time of `pid` (clock ticks since boot, from /proc/<pid>/stat) where available: detects pid reuse. */
  procStart?: string;
}

export interface LockOptions {
  pid?: number;
  now?: number;
}

export interface Lock {
  readonly path: string;
  readonly info: LockInfo;
  /** Set when a stale lock (dead or reused pid) was replaced: say "took over a stale lock left by pid N". */
  readonly tookOver?: { pid: number; startedAt: string };
  /** Removes the lock file if it is still ours. */
  release(): void;
}

/** The start time of a process as the kernel reports it, or undefined where /proc is not available. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockInfo | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
    if (v && typeof v === 'object' && Number.isInteger(v.pid) && v.pid > 0) return v;
  } catch {
    // unreadable: treated as stale below
  }
  return undefined;
}

function sameLock(a: LockInfo | undefined, b: LockInfo | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether the process that wrote `info` is still running (same host, pid alive, same start time). */
function holderAlive(info: LockInfo): boolean {
  if (info.host !== hostname()) return true;
  if (!isProcessAlive(info.pid)) return false;
  if (info.procStart === undefined) return true;
  const now = processStartTime(info.pid);
  return now === undefined || now === info.procStart;
}

let counter = 0;

/**
 * Takes trace/<exec>/lock.json for `pid` (default: this process). Throws LockedError when a live
 * conductor holds it; replaces a stale lock and reports it in `tookOver`.
 */
export function acquireLock(traceExecDir: string, opts: LockOptions = {}): Lock {
  mkdirSync(traceExecDir, { recursive: true });
  const path = join(traceExecDir, LOCK_FILE);
  const pid = opts.pid ?? process.pid;
  const info: LockInfo = {
    pid,
    startedAt: new Date(opts.now ?? Date.now()).toISOString(),
    host: hostname(),
  };
  const procStart = processStartTime(pid);
  if (procStart !== undefined) info.procStart = procStart;

  const tmp = join(traceExecDir, `.${LOCK_FILE}.${process.pid}.${++counter}.tmp`);
  const fd = openSync(tmp, 'wx');
  try {
    writeSync(fd, `${JSON.stringify(info, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }

  let tookOver: Lock['tookOver'];
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(tmp, path);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const existing = readLock(path);
      if (existing && holderAlive(existing)) {
        throw new LockedError(basename(traceExecDir), existing, path);
      }
      if (attempt >= 5) throw new StoreError(`${path}: could not take the lock (it keeps changing)`);
      if (!sameLock(existing, readLock(path))) continue;
      if (existing) tookOver = { pid: existing.pid, startedAt: existing.startedAt };
      try {
        unlinkSync(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  } finally {
    unlinkSync(tmp);
  }
  fsyncDir(traceExecDir);

  let released = false;
  return {
    path,
    info,
    tookOver,
    release(): void {
      if (released) return;
      released = true;
      if (!sameLock(readLock(path), info)) return;
      try {
        unlinkSync(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    },
  };
}
