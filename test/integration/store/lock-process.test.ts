import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LockedError } from '../../../src/adapters/store/errors';
import { acquireLock, isProcessAlive } from '../../../src/adapters/store/lock';

const root = mkdtempSync(join(tmpdir(), 'conductor-lock-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

function startHolder(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'process.stdout.write("ready\\n"); setInterval(() => {}, 1000)'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.once('data', () => resolve(child));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

describe('lock held by another process', () => {
  it('refuses while the holder lives, then takes over once it is dead', async () => {
    const dir = join(root, 'exec-20250101-120000-lock');
    const holder = await startHolder();
    const held = acquireLock(dir, { pid: holder.pid! });
    expect(held.tookOver).toBeUndefined();

    expect(() => acquireLock(dir)).toThrow(LockedError);
    expect(() => acquireLock(dir)).toThrow(new RegExp(`already open in another conductor \\(pid ${holder.pid}, since`));

    holder.kill('SIGKILL');
    await exited(holder);
    expect(isProcessAlive(holder.pid!)).toBe(false);

    const mine = acquireLock(dir);
    expect(mine.tookOver).toEqual({ pid: holder.pid, startedAt: held.info.startedAt });
    held.release();
    expect(() => acquireLock(dir)).toThrow(LockedError);
    mine.release();
  });

  it('takes over a lock left by a pid that has already exited', async () => {
    const dir = join(root, 'exec-20250101-120000-dead');
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    children.push(child);
    await exited(child);
    acquireLock(dir, { pid: child.pid! });
    const lock = acquireLock(dir);
    expect(lock.tookOver?.pid).toBe(child.pid);
    lock.release();
  });
});
