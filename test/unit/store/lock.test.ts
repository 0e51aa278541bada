import { existsSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LockedError } from '../../../src/adapters/store/errors';
import { acquireLock } from '../../../src/adapters/store/lock';
import { useTempDir } from './helpers';

const tmp = useTempDir();

describe('acquireLock', () => {
  it('writes lock.json and releases it', () => {
    const dir = join(tmp(), 'exec-20250101-000000-aaaa');
    const lock = acquireLock(dir, { now: Date.UTC(2025, 0, 1, 14, 2, 11) });
    const info = JSON.parse(readFileSync(join(dir, 'lock.json'), 'utf8'));
    expect(info).toMatchObject({ pid: process.pid, startedAt: '2025-01-01T14:02:11.000Z', host: hostname() });
    expect(lock.tookOver).toBeUndefined();
    lock.release();
    expect(existsSync(join(dir, 'lock.json'))).toBe(false);
    lock.release();
  });

  it('refuses a second lock with a clear message, until the first is released', () => {
    const dir = join(tmp(), 'exec-20250101-000000-bbbb');
    const first = acquireLock(dir);
    let err: unknown;
    try {
      acquireLock(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LockedError);
    expect((err as Error).message).toMatch(
      new RegExp(`^execution exec-20250101-000000-bbbb is already open in another conductor \\(pid ${process.pid}, since \\d\\d:\\d\\d:\\d\\d\\); close it first$`),
    );
    first.release();
    acquireLock(dir).release();
  });

  it('is not a file: deleting or rewriting lock.json does not let a second writer in', () => {
    const dir = join(tmp(), 'exec-20250101-000000-cccc');
    const first = acquireLock(dir);
    unlinkSync(join(dir, 'lock.json'));
    expect(() => acquireLock(dir)).toThrow(/already open in another conductor \(its lock\.json is gone\)/);
    writeFileSync(join(dir, 'lock.json'), JSON.stringify({ pid: 1, startedAt: 'x', host: 'elsewhere' }));
    expect(() => acquireLock(dir)).toThrow(LockedError);
    first.release();
    // release leaves a lock.json that is not ours alone, and the next writer says whose it was.
    expect(existsSync(join(dir, 'lock.json'))).toBe(true);
    const next = acquireLock(dir);
    expect(next.tookOver).toEqual({ pid: 1, startedAt: 'x' });
    next.release();
  });

  it('a folder swapped out from under the holder is locked afresh, not shared', () => {
    const dir = join(tmp(), 'exec-20250101-000000-dddd');
    const first = acquireLock(dir);
    renameSync(dir, `${dir}.old`);
    // The path now names a new folder nobody holds: taking it is right (the old writer writes elsewhere).
    const second = acquireLock(dir);
    expect(() => acquireLock(dir)).toThrow(LockedError);
    second.release();
    first.release();
    rmSync(`${dir}.old`, { recursive: true, force: true });
  });

  it('treats an unreadable lock file as information only', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'lock.json'), '{');
    const lock = acquireLock(dir);
    expect(lock.tookOver).toBeUndefined();
    expect(JSON.parse(readFileSync(join(dir, 'lock.json'), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });
});
