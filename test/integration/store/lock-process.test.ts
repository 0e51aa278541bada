// The execution lock is flock(2) on trace/<exec>/: another process holding it keeps us out whatever lock.json says,
// and the kernel lets go when that process dies (kill -9 included).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LockedError } from '../../../src/adapters/store/errors';
import { acquireLock } from '../../../src/adapters/store/lock';

const FS_EXT = resolve(__dirname, '../../../node_modules/fs-ext');
const root = mkdtempSync(join(tmpdir(), 'conductor-lock-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** Another process that takes the folder's flock the way conductor does, writes lock.json, and waits. */
function startHolder(dir: string): Promise<ChildProcess> {
  const script = `
    const fs = require('fs');
    const fd = fs.openSync(${JSON.stringify(dir)}, 'r');
    require(${JSON.stringify(FS_EXT)}).flockSync(fd, 'exnb');
    fs.writeFileSync(${JSON.stringify(join(dir, 'lock.json'))}, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), host: ${JSON.stringify(hostname())} }));
    process.stdout.write('ready\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((res, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
    child.stdout!.once('data', () => res(child));
  });
}

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((res) => (child.exitCode !== null || child.signalCode !== null ? res() : child.once('exit', () => res())));

describe('lock held by another process', () => {
  it('refuses while the holder lives even with lock.json deleted or forged, and is free once it is killed', async () => {
    const dir = join(root, 'exec-20250101-120000-lock');
    mkdirSync(dir, { recursive: true });
    const holder = await startHolder(dir);

    expect(() => acquireLock(dir)).toThrow(new RegExp(`already open in another conductor \\(pid ${holder.pid}, since \\d\\d:\\d\\d:\\d\\d\\)`));
    unlinkSync(join(dir, 'lock.json'));
    expect(() => acquireLock(dir)).toThrow(LockedError);
    expect(() => acquireLock(dir)).toThrow(/already open in another conductor \(its lock\.json is gone\)/);
    writeFileSync(join(dir, 'lock.json'), '{');
    expect(() => acquireLock(dir)).toThrow(LockedError);

    holder.kill('SIGKILL');
    await exited(holder);
    const mine = acquireLock(dir);
    expect(JSON.parse(readFileSync(join(dir, 'lock.json'), 'utf8')).pid).toBe(process.pid);
    mine.release();
    expect(existsSync(join(dir, 'lock.json'))).toBe(false);
  });

  it('says it took over when lock.json names a holder that was killed', async () => {
    const dir = join(root, 'exec-20250101-120000-dead');
    mkdirSync(dir, { recursive: true });
    const holder = await startHolder(dir);
    const left = JSON.parse(readFileSync(join(dir, 'lock.json'), 'utf8'));
    holder.kill('SIGKILL');
    await exited(holder);
    const lock = acquireLock(dir);
    expect(lock.tookOver).toEqual({ pid: holder.pid, startedAt: left.startedAt });
    lock.release();
  });
});
