// Crash-safe whole-file writes (temp file in the same folder, fsync, rename, fsync folder) and JSON reads.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Redactor } from '../../core/redact';
import { JsonFileError } from './errors';
import { storeRedactor } from './redaction';

export interface AtomicWriteOptions {
  redactor?: Redactor;
}

export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Directories cannot be opened or fsynced on some platforms (Windows); the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

let counter = 0;

/** Writes `text` (redacted) to `path` so that a reader sees the old file or the new one, never a mix. */
export function writeTextAtomic(path: string, text: string, opts: AtomicWriteOptions = {}): void {
  const redactor = opts.redactor ?? storeRedactor();
  writeRawAtomic(path, redactor.redact(text));
}

/** Writes `value` as pretty JSON with every string redacted, atomically. */
export function writeJsonAtomic(path: string, value: unknown, opts: AtomicWriteOptions = {}): void {
  const redactor = opts.redactor ?? storeRedactor();
  const text = JSON.stringify(redactor.redactValue(value), null, 2);
  if (text === undefined) throw new JsonFileError(path, 'value is not JSON-serializable');
  writeRawAtomic(path, `${text}\n`);
}

/** Writes `text` as it is (already redacted by the caller), atomically. */
export function writeRawAtomic(path: string, text: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${++counter}.tmp`);
  const fd = openSync(tmp, 'wx');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (err) {
    unlinkSync(tmp);
    throw err;
  }
  fsyncDir(dir);
}

export function readJson<T = unknown>(path: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new JsonFileError(path, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err));
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new JsonFileError(path, `invalid JSON: ${(err as Error).message}`);
  }
}

/** What writeRawAtomic names its temp files: `.<file>.<pid>.<n>.tmp` beside the file. */
const TEMP_FILE = /^\..+\.(\d+)\.\d+\.tmp$/;

/**
 * Removes temp files that atomic writes killed mid-way left in `dirs` (not recursive). Call it holding the
 * execution's lock: no other process writes there then, so every temp file not of this process is stale.
 */
export function removeStaleTemps(dirs: string[]): string[] {
  const removed: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = TEMP_FILE.exec(name);
      if (!m || Number(m[1]) === process.pid) continue;
      try {
        unlinkSync(join(dir, name));
        removed.push(join(dir, name));
      } catch {
        // gone already, or not ours to remove: it harms nothing but space
      }
    }
  }
  return removed;
}
