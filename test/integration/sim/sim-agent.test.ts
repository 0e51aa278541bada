// The sim agent in a real PTY: approvals on screen, keys answered, commands run or denied, failures.
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimScript } from '../../../src/core/types';
import { spawnPtySession, type PtySession } from '../../../src/adapters/pty';
import { screen, simAgentPath, waitForScreen } from './helpers';

let sim = '';
beforeAll(async () => {
  sim = await simAgentPath();
});

const sessions: PtySession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.dispose();
});

function start(script: SimScript | undefined, extra: string[] = [], prompt = 'Task: make the tests pass'): { s: PtySession; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sim-ws-'));
  writeFileSync(join(dir, 'prompt.md'), prompt);
  const args = [sim, '--prompt-file', join(dir, 'prompt.md'), '--name', 'builder', ...extra];
  if (script) {
    writeFileSync(join(dir, 'script.json'), JSON.stringify(script));
    args.push('--script', join(dir, 'script.json'));
  }
  const s = spawnPtySession({ command: process.execPath, args, cwd: dir, env: { ...process.env }, cols: 100, rows: 30 });
  sessions.push(s);
  return { s, dir };
}

describe('sim agent', () => {
  test('asks approval with the panel; y runs the command', async () => {
    const { s, dir } = start({ actions: [{ say: 'Hello there' }, { run: 'echo made > out.txt && echo ran-it' }, { say: 'bye' }] });
    const text = await waitForScreen(s, 'Do you want to proceed?');
    expect(text).toContain('\n Bash command\n');
    expect(text).toContain('\n   echo made > out.txt && echo ran-it\n');
    expect(text).toContain('\n ❯ 1. Yes (y)\n');
    expect(text).toContain('\n   2. Yes, always for this session (a)\n');
    expect(text).toContain('\n   3. No (esc)\n');
    expect(text).toMatch(/^─{60}$/m);
    s.write('y');
    const e = await s.exited;
    expect(e.exitCode).toBe(0);
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('made\n');
    const all = s.text();
    expect(all).toContain('    ran-it');
    expect(all).not.toContain('Do you want to proceed?');
    expect(all).toContain('commands: 1 run, 0 denied');
  });

  test('a long command is printed whole for the terminal to wrap, and erased whole once answered', async () => {
    const long = `echo ${'x'.repeat(150)} > long.txt`;
    const { s, dir } = start({ actions: [{ run: long }, { run: 'echo one &&\necho two' }] });
    await waitForScreen(s, 'Do you want to proceed?');
    const snap = s.snapshot();
    const row = snap.lines.findIndex((l) => l.spans.map((x) => x.text).join('').startsWith('   echo xxx'));
    expect(row).toBeGreaterThan(0);
    expect(snap.lines[row + 1].wrapped).toBe(true);
    s.write('y');
    // A multi-line command: each of its lines on a line of its own, indented alike.
    const text = await waitForScreen(s, '   echo two');
    expect(text).toContain('\n   echo one &&\n   echo two\n');
    s.write('y');
    expect((await s.exited).exitCode).toBe(0);
    expect(readFileSync(join(dir, 'long.txt'), 'utf8')).toBe(`${'x'.repeat(150)}\n`);
    const all = s.text();
    expect(all).not.toContain('Bash command');
    expect(all).not.toMatch(/^─{20,}$/m);
    expect(all).toContain('commands: 2 run, 0 denied');
  });

  test('Esc denies: the command does not run', async () => {
    const { s, dir } = start({ actions: [{ run: 'touch nope.txt' }, { say: 'after' }] });
    await waitForScreen(s, 'Do you want to proceed?');
    s.write('\x1b');
    const e = await s.exited;
    expect(e.exitCode).toBe(0);
    expect(existsSync(join(dir, 'nope.txt'))).toBe(false);
    expect(s.text()).toContain('✗ Denied: touch nope.txt');
    expect(s.text()).toContain('after');
    expect(screen(s)).not.toContain('Do you want to proceed?');
  });

  test('always-for-session skips later prompts; arrows + Enter select', async () => {
    const { s, dir } = start({ actions: [{ run: 'touch a1' }, { run: 'touch a2' }, { ask: 'deploy to staging' }] });
    await waitForScreen(s, 'touch a1');
    s.write('\x1b[B');
    await waitForScreen(s, '❯ 2. Yes, always');
    s.write('\r');
    const e = await s.exited;
    expect(e.exitCode).toBe(0);
    expect(existsSync(join(dir, 'a1'))).toBe(true);
    expect(existsSync(join(dir, 'a2'))).toBe(true);
    expect(s.text()).toContain('Allowed: deploy to staging');
  });

  test('ask shows an Allow panel; n denies', async () => {
    const { s } = start({ actions: [{ ask: 'open a browser' }] });
    const text = await waitForScreen(s, 'Do you want to proceed?');
    expect(text).toContain('Allow: open a browser');
    s.write('n');
    await s.exited;
    expect(s.text()).toContain('✗ Denied: open a browser');
  });

  test('write, think and run without asking', async () => {
    const { s, dir } = start({
      actions: [
        { think: 'Pondering', ms: 100 },
        { write: { path: 'src/deep/file.ts', content: 'a\nb\nc\n' } },
        { run: 'cat src/deep/file.ts | wc -l', ask: false },
      ],
    });
    const e = await s.exited;
    expect(e.exitCode).toBe(0);
    expect(readFileSync(join(dir, 'src/deep/file.ts'), 'utf8')).toBe('a\nb\nc\n');
    const t = s.text();
    expect(t).toContain('✓ Pondering');
    expect(t).toContain('✎ wrote src/deep/file.ts (3 lines)');
    expect(t).toMatch(/ {4}3/);
  });

  test('fail exits 1 with the message', async () => {
    const { s } = start({ actions: [{ say: 'start' }, { fail: 'cannot continue' }, { say: 'never' }] });
    const e = await s.exited;
    expect(e.exitCode).toBe(1);
    expect(s.text()).toContain('✗ cannot continue');
    expect(s.text()).not.toContain('never');
  });

  test('default session without a script writes the expected outputs', async () => {
    const prompt = '# Task\nWrite the design notes\n\nExpected outputs:\n- docs/design.md\n';
    const { s, dir } = start(undefined, [], prompt);
    const e = await s.exited;
    expect(e.exitCode).toBe(0);
    expect(readFileSync(join(dir, 'docs/design.md'), 'utf8')).toContain('Write the design notes');
    expect(s.text()).toContain('sim agent');
  });

  test('fail-rate 1 with a seed fails deterministically', async () => {
    const script: SimScript = { actions: [{ say: 'a' }, { say: 'b' }, { say: 'c' }] };
    const one = start(script, ['--seed', '7', '--fail-rate', '1']).s;
    const two = start(script, ['--seed', '7', '--fail-rate', '1']).s;
    expect((await one.exited).exitCode).toBe(1);
    expect((await two.exited).exitCode).toBe(1);
    const line = (s: PtySession): string | undefined => s.text().split('\n').find((l) => l.includes('Simulated failure'));
    expect(line(one)).toBeDefined();
    expect(line(one)).toBe(line(two));
  });

  test('SIGTERM exits promptly and restores the terminal', async () => {
    const { s } = start({ actions: [{ sleep: 30_000 }] });
    await waitForScreen(s, 'sim agent');
    s.kill('SIGTERM');
    const e = await s.exited;
    expect(e.exitCode).toBe(143);
    expect(s.snapshot().cursor.visible).toBe(true);
  });

  test('Ctrl-C in raw mode interrupts', async () => {
    const { s } = start({ actions: [{ run: 'echo hi' }] });
    await waitForScreen(s, 'Do you want to proceed?');
    s.write('\x03');
    expect((await s.exited).exitCode).toBe(130);
  });
});
