// `conductor providers` and `conductor providers check NAME` through the binary: the table and JSON for built-in
// and configured providers, and checks of sim and of a fake CLI that shows an idle prompt, a trust dialog, a
// "not logged in" screen, or crashes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { conductor, REPO, tempProject } from './helpers';

const FAKE = join(REPO, 'test/fixtures/fake-agent-cli.mjs');
let cwd: string;

beforeAll(() => {
  cwd = tempProject();
  writeFileSync(
    join(cwd, 'conductor.yaml'),
    [
      'providers:',
      '  fake:',
      `    command: ${FAKE}`,
      '    args: ["{prompt}"]',
      "    done: {via: idle, pattern: '^fake> ?$', idle: 2s}",
      '    exit: ["/quit\\r"]',
      '    resume: {args: [--resume]}',
      '    version: {args: [--version], pattern: "fake-agent (\\\\S+)"}',
      `    env: {FAKE_PIDFILE: ${join(cwd, 'fake.pid')}}`,
      '  fake-trust:',
      '    extends: fake',
      '    env: {FAKE_MODE: trust}',
      '  fake-login:',
      '    extends: fake',
      '    env: {FAKE_MODE: login}',
      '  fake-crash:',
      '    extends: fake',
      '    env: {FAKE_MODE: crash}',
      '  fake-stubborn:',
      '    extends: fake',
      `    env: {FAKE_STUBBORN: "1", FAKE_PIDFILE: ${join(cwd, 'stubborn.pid')}}`,
      '  claude:',
      '    env: {ANTHROPIC_BASE_URL: "http://127.0.0.1:9"}',
      '',
    ].join('\n'),
  );
});

/** Running (a zombie has exited already; it only waits for a parent to reap it). */
const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('conductor providers', () => {
  it('lists built-in and configured providers with install state, version and channels', async () => {
    const r = await conductor(cwd, ['providers', '--timeout', '30s']);
    expect(r.exitCode, String(r.all)).toBe(0);
    const lines = String(r.stdout).split('\n');
    expect(lines[0]).toMatch(/^provider\s+from\s+installed\s+version\s+approvals\s+turn end\s+resume\s+session id\s+json\s+path$/);
    const row = (name: string) => lines.find((l) => l.startsWith(`${name} `)) ?? '';
    expect(row('sim')).toMatch(/^sim\s+built-in\s+yes\s+1\.0\.0\s+screen\s+exit\s/);
    expect(row('claude')).toMatch(/^claude\s+built-in, configured\s+(yes|no)\s/);
    expect(row('fake')).toMatch(/^fake\s+configured\s+yes\s+4\.5\.6\s+never asks\s+screen\s+yes\s+—\s+yes\s+\S*fake-agent-cli\.mjs$/);
    for (const n of ['shell', 'codex', 'gemini', 'copilot', 'aider', 'fake-trust', 'fake-login', 'fake-crash']) expect(row(n), n).not.toBe('');
    expect(r.stdout).toMatch(/^missing:$/m);
  }, 90_000);

  it('--json prints the same rows as JSON', async () => {
    const r = await conductor(cwd, ['providers', '--json', '--timeout', '30s']);
    expect(r.exitCode, String(r.all)).toBe(0);
    const rows = JSON.parse(String(r.stdout)) as { name: string; source: string; installed: boolean; version: string | null; channels: Record<string, unknown>; missing: string[] }[];
    expect(rows.map((x) => x.name)).toEqual(['sim', 'shell', 'claude', 'codex', 'gemini', 'copilot', 'aider', 'fake', 'fake-trust', 'fake-login', 'fake-crash', 'fake-stubborn']);
    expect(rows.find((x) => x.name === 'fake')).toMatchObject({ source: 'configured', installed: true, version: '4.5.6', channels: { turnEnd: 'screen', resume: true, json: true } });
    expect(rows.find((x) => x.name === 'claude')).toMatchObject({ source: 'built-in, configured' });
  }, 90_000);
});

describe('conductor providers check', () => {
  it('sim: ready, exit 0', async () => {
    const r = await conductor(cwd, ['providers', 'check', 'sim']);
    expect(r.exitCode, String(r.all)).toBe(0);
    expect(r.stdout).toMatch(/^sim is ready: it ran a harmless task and exited 0/);
  });

  it('a CLI at its idle prompt is ready, and is ended with its exit keys', async () => {
    const r = await conductor(cwd, ['providers', 'check', 'fake']);
    expect(r.exitCode, String(r.all)).toBe(0);
    expect(r.stdout).toMatch(/^fake is ready: its input prompt is on screen \(after [\d.]+m?s\)\.$/m);
  });

  it('a trust dialog: said in plain words, exit 1', async () => {
    const trust = await conductor(cwd, ['providers', 'check', 'fake-trust']);
    expect(trust.exitCode, String(trust.all)).toBe(1);
    expect(trust.stdout).toMatch(/^fake-trust shows the trust dialog \(after .*\): the preset does not know it/);
    expect(trust.stdout).toContain('│   Do you trust the files in this folder?');
  });

  it('a "not logged in" screen: said in plain words, exit 1', async () => {
    const login = await conductor(cwd, ['providers', 'check', 'fake-login']);
    expect(login.exitCode, String(login.all)).toBe(1);
    expect(login.stdout).toMatch(/^fake-login cannot work yet: not logged in/);
  });

  it('a crash: the exit code and the last lines, exit 1', async () => {
    const crash = await conductor(cwd, ['providers', 'check', 'fake-crash']);
    expect(crash.exitCode, String(crash.all)).toBe(1);
    expect(crash.stdout).toMatch(/^fake-crash exited with code 3 after /);
    expect(crash.stdout).toContain('│ error: the model list is corrupt');
  });

  it('leaves no CLI running: exit keys first, then signals', async () => {
    const r = await conductor(cwd, ['providers', 'check', 'fake-trust', '--json']);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(String(r.stdout))).toMatchObject({ name: 'fake-trust', ready: false, outcome: { kind: 'dialog', known: false } });
    expect(alive(Number(readFileSync(join(cwd, 'fake.pid'), 'utf8')))).toBe(false);

    const s = await conductor(cwd, ['providers', 'check', 'fake-stubborn']);
    expect(s.exitCode, String(s.all)).toBe(0);
    expect(alive(Number(readFileSync(join(cwd, 'stubborn.pid'), 'utf8')))).toBe(false);
  }, 60_000);

  it('an unknown name: exit 2 with a did-you-mean', async () => {
    const r = await conductor(cwd, ['providers', 'check', 'fake-trsut']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown provider `fake-trsut`; did you mean `fake-trust`\?/);
  });
});
