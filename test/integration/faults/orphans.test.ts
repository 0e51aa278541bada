// Stopping a session or a check ends its whole process tree: a child that ignores TERM, a `set -m` job
// (its own process group) and a `setsid` child (its own session) all go, on every stop path.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnPtySession } from '../../../src/adapters/pty';
import { BIN, onlyExec, readEvents, tempProject } from '../run/helpers';
import { execa } from 'execa';

const dirs: string[] = [];
const pidsSeen: number[] = [];
afterAll(() => {
  // Never leave the test's own strays behind, whatever happened above.
  for (const pid of pidsSeen) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), 'conductor-orphans-'));
  dirs.push(d);
  return d;
}

/** A process is alive when it exists and is not a zombie (an orphan's zombie waits for init, it runs nothing). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\S+ \(.*\) [ZX] /s.test(stat);
  } catch {
    return false;
  }
}

async function waitFor<T>(fn: () => T | undefined | false, ms = 20_000, what = 'condition'): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A shell line that starts the three kinds of stray and writes their pids to `dir/pids` (one a line, the
 * file complete once it has three), then waits in the foreground.
 */
function straysScript(dir: string): string {
  const pids = join(dir, 'pids');
  return [
    // ignores TERM (the ignore survives exec into sleep)
    `sh -c 'trap "" TERM; echo $$ >> ${pids}.tmp; while :; do sleep 1; done' &`,
    // own session
    `setsid sh -c 'echo $$ >> ${pids}.tmp; exec sleep 300' &`,
    // own process group
    `set -m; sleep 300 & echo $! >> ${pids}.tmp; set +m`,
    `while [ "$(wc -l < ${pids}.tmp)" -lt 3 ]; do sleep 0.05; done; mv ${pids}.tmp ${pids}`,
    'sleep 300',
  ].join('\n');
}

async function strayPids(dir: string): Promise<number[]> {
  const file = join(dir, 'pids');
  await waitFor(() => existsSync(file), 20_000, 'the strays to start');
  const pids = readFileSync(file, 'utf8').trim().split('\n').map(Number);
  pidsSeen.push(...pids);
  expect(pids).toHaveLength(3);
  for (const p of pids) expect(alive(p)).toBe(true);
  return pids;
}

describe.skipIf(process.platform !== 'linux')('no orphans', () => {
  it('PtySession.kill ends children that ignore TERM, left the group or left the session', async () => {
    const dir = scratch();
    const s = spawnPtySession({ command: '/bin/sh', args: ['-c', straysScript(dir)], cwd: dir, env: { ...process.env } });
    const pids = await strayPids(dir);
    s.kill('SIGTERM');
    await s.exited;
    for (const p of pids) expect(alive(p), `pid ${p} survived the stop`).toBe(false);
    s.dispose();
  });

  it('ends what an agent left running when it exits by itself', async () => {
    const dir = scratch();
    const script = straysScript(dir).replace(/\nsleep 300$/, '\nexit 0');
    const s = spawnPtySession({ command: '/bin/sh', args: ['-c', script], cwd: dir, env: { ...process.env } });
    expect((await s.exited).exitCode).toBe(0);
    const pids = readFileSync(join(dir, 'pids'), 'utf8').trim().split('\n').map(Number);
    pidsSeen.push(...pids);
    for (const p of pids) expect(alive(p), `pid ${p} outlived its session`).toBe(false);
    s.dispose();
  });

  function strayPlan(project: string, dir: string, extra = ''): string {
    const file = join(project, 'plans', 'strays.plan.yaml');
    writeFileSync(
      file,
      [
        'goal: Leave strays',
        'provider: shell',
        'steps:',
        '  - id: strays',
        '    agent: backend',
        extra,
        `    task: ${JSON.stringify(straysScript(dir))}`,
      ]
        .filter(Boolean)
        .join('\n') + '\n',
    );
    return file;
  }

  it('`conductor run` stopped by SIGINT leaves none of them running', async () => {
    const project = tempProject();
    dirs.push(project);
    const dir = scratch();
    const plan = strayPlan(project, dir);
    const child = execa('node', [BIN, 'run', plan], { cwd: project, reject: false, all: true, env: { CI: 'true' } });
    const pids = await strayPids(dir);
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode, r.all).toBe(130);
    for (const p of pids) expect(alive(p), `pid ${p} survived SIGINT to run`).toBe(false);
  });

  it('a session past its timeout leaves none of them running', async () => {
    const project = tempProject();
    dirs.push(project);
    const dir = scratch();
    const plan = strayPlan(project, dir, '    timeout: 3s');
    const r = await execa('node', [BIN, 'run', plan], { cwd: project, reject: false, all: true, env: { CI: 'true' } });
    expect(r.exitCode, r.all).toBe(1);
    expect(r.all).toMatch(/timed out|timeout/i);
    const pids = readFileSync(join(dir, 'pids'), 'utf8').trim().split('\n').map(Number);
    pidsSeen.push(...pids);
    for (const p of pids) expect(alive(p), `pid ${p} survived the session timeout`).toBe(false);
  });

  it('a check past its timeout is ended with its children, in about its timeout', async () => {
    const project = tempProject();
    dirs.push(project);
    const dir = scratch();
    const file = join(project, 'plans', 'slow-check.plan.yaml');
    writeFileSync(
      file,
      [
        'goal: A slow check',
        'provider: shell',
        'steps:',
        '  - id: build',
        '    agent: backend',
        '    task: "true"',
        '    checks:',
        `      - run: "sh -c 'echo $$ > ${join(dir, 'pid')}; sleep 30; true'"`,
        '        timeout: 2s',
      ].join('\n') + '\n',
    );
    const started = Date.now();
    const r = await execa('node', [BIN, 'run', file], { cwd: project, reject: false, all: true, env: { CI: 'true' } });
    const took = Date.now() - started;
    expect(r.exitCode, r.all).toBe(1);
    expect(took).toBeLessThan(15_000);
    const events = readEvents(project, onlyExec(project));
    const check = events.find((e) => e.type === 'check.finished');
    expect(check).toMatchObject({ exitCode: 124, passed: false });
    expect(check!.durationMs as number).toBeLessThan(10_000);
    expect(r.all).toMatch(/timed out after 2s/);
    const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    pidsSeen.push(pid);
    expect(alive(pid)).toBe(false);
  });
});
