import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LockedError } from '../../../src/adapters/store/errors';
import { acquireLock, processStartTime } from '../../../src/adapters/store/lock';
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

  it('refuses a lock held by a live process with a clear message', () => {
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

  it('takes over a lock whose pid was reused by another process', () => {
    if (processStartTime(process.pid) === undefined) return;
    const dir = tmp();
    writeFileSync(
      join(dir, 'lock.json'),
      JSON.stringify({ pid: process.pid, startedAt: '2025-01-01T00:00:00.000Z', host: hostname(), procStart: '1' }),
    );
    const lock = acquireLock(dir);
    expect(lock.tookOver).toEqual({ pid: process.pid, startedAt: '2025-01-01T00:00:00.000Z' });
    lock.release();
  });

  it('treats an unreadable lock file as stale', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'lock.json'), '{');
    const lock = acquireLock(dir);
    expect(lock.tookOver).toBeUndefined();
    expect(JSON.parse(readFileSync(join(dir, 'lock.json'), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('release leaves a lock that is no longer ours alone', () => {
    const dir = tmp();
    const lock = acquireLock(dir);
    writeFileSync(join(dir, 'lock.json'), JSON.stringify({ pid: 1, startedAt: 'x', host: 'elsewhere' }));
    lock.release();
    expect(existsSync(join(dir, 'lock.json'))).toBe(true);
  });

  it('names the host when the lock was taken on another machine', () => {
    const dir = join(tmp(), 'exec-x');
    acquireLock(dir).release();
    writeFileSync(join(dir, 'lock.json'), JSON.stringify({ pid: 4242, startedAt: '2025-01-01T00:00:00.000Z', host: 'other-box' }));
    expect(() => acquireLock(dir)).toThrow(/pid 4242 on other-box.*delete .*lock\.json/);
  });
});
