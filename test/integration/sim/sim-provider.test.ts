// The sim provider end to end: argv from the preset, approvals found by the detector, answered with its keys.
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinProviders, createApprovalDetector, resolveArgv, type DetectorEvent } from '../../../src/adapters/providers';
import { spawnPtySession, type PtySession } from '../../../src/adapters/pty';
import type { Decision } from '../../../src/core/types';
import { simAgentPath } from './helpers';

let simPath = '';
beforeAll(async () => {
  simPath = await simAgentPath();
});
const sessions: PtySession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.dispose();
});

async function drive(actions: unknown[], decide: (command: string) => Decision, size: { cols?: number; rows?: number } = {}) {
  const def = builtinProviders.sim;
  const dir = mkdtempSync(join(tmpdir(), 'sim-prov-'));
  writeFileSync(join(dir, 'prompt.md'), 'Task: exercise approvals');
  writeFileSync(join(dir, 'script.json'), JSON.stringify({ actions }));
  const argv = resolveArgv(def, { workspace: dir, promptFile: join(dir, 'prompt.md'), script: join(dir, 'script.json'), agent: 'tester', simPath });
  const s = spawnPtySession({ command: argv.command, args: argv.args, cwd: dir, env: { ...process.env, ...argv.env }, ...size });
  sessions.push(s);
  const detector = createApprovalDetector(def);
  const events: DetectorEvent[] = [];
  let done = false;
  s.exited.then(() => (done = true));
  while (!done) {
    for (const e of detector.feed(s.snapshot())) {
      events.push(e);
      if (e.type === 'prompt') s.write(def.approval.keys[decide(e.prompt.command)]);
    }
    await new Promise((r) => setTimeout(r, 30));
  }
  const settle = Date.now() + 400;
  while (Date.now() < settle) {
    events.push(...detector.feed(s.snapshot()));
    await new Promise((r) => setTimeout(r, 30));
  }
  return { dir, events, exit: await s.exited, text: s.text() };
}

describe('sim provider', () => {
  test('each approval is reported once, answered, and seen to go', async () => {
    const r = await drive(
      [{ run: 'touch one' }, { run: 'touch two' }, { run: 'touch one' }, { ask: 'publish' }],
      (cmd) => (cmd === 'touch two' ? 'deny' : 'allow'),
    );
    expect(r.exit.exitCode).toBe(0);
    const asked = r.events.filter((e) => e.type === 'prompt').map((e) => e.prompt.command);
    expect(asked).toEqual(['touch one', 'touch two', 'touch one', 'Allow: publish']);
    expect(r.events.filter((e) => e.type === 'gone')).toHaveLength(4);
    expect(existsSync(join(r.dir, 'one'))).toBe(true);
    expect(existsSync(join(r.dir, 'two'))).toBe(false);
    expect(r.text).toContain('commands: 2 run, 1 denied');
  });

  test('always stops further prompts', async () => {
    const r = await drive([{ run: 'touch a' }, { run: 'touch b' }, { run: 'touch c' }], () => 'always');
    expect(r.events.filter((e) => e.type === 'prompt')).toHaveLength(1);
    for (const f of ['a', 'b', 'c']) expect(existsSync(join(r.dir, f))).toBe(true);
  });

  // Longer than the pane, with no spaces where the terminal wraps it: the command comes back exactly.
  const LONG = `node -e "const s='${'a'.repeat(200)}';console.log(JSON.stringify(s.split('a'),null,2))"`;
  test.each([
    [60, 20],
    [120, 40],
  ])('a command longer than the pane is detected byte for byte at %i×%i', async (cols, rows) => {
    const r = await drive([{ run: LONG }], () => 'allow', { cols, rows });
    expect(r.events.filter((e) => e.type === 'prompt').map((e) => e.prompt.command)).toEqual([LONG]);
    expect(r.events.filter((e) => e.type === 'gone')).toHaveLength(1);
    expect(r.exit.exitCode).toBe(0);
    expect(r.text).toContain('commands: 1 run, 0 denied');
  });

  test('resizing the pane while a prompt is up is the same prompt: no gone, no second prompt', async () => {
    const def = builtinProviders.sim;
    const dir = mkdtempSync(join(tmpdir(), 'sim-prov-'));
    writeFileSync(join(dir, 'prompt.md'), 'Task: exercise approvals');
    writeFileSync(join(dir, 'script.json'), JSON.stringify({ actions: [...Array.from({ length: 8 }, (_, i) => ({ say: `step ${i} ${'x'.repeat(140)}` })), { run: LONG }] }));
    const argv = resolveArgv(def, { workspace: dir, promptFile: join(dir, 'prompt.md'), script: join(dir, 'script.json'), agent: 'tester', simPath });
    const s = spawnPtySession({ command: argv.command, args: argv.args, cwd: dir, env: { ...process.env, ...argv.env }, cols: 120, rows: 40 });
    sessions.push(s);
    const detector = createApprovalDetector(def);
    const events: DetectorEvent[] = [];
    const pump = async (ms: number): Promise<void> => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        events.push(...detector.feed(s.snapshot()));
        await new Promise((r) => setTimeout(r, 30));
      }
    };
    while (!events.some((e) => e.type === 'prompt')) await pump(30);
    s.resize(80, 30);
    await pump(800);
    s.resize(60, 20);
    await pump(800);
    expect(events.map((e) => e.type)).toEqual(['prompt']);
    expect(detector.current?.command).toBe(LONG);
    s.write(def.approval.keys.deny);
    await s.exited;
    await pump(400);
    expect(events.map((e) => e.type)).toEqual(['prompt', 'gone']);
  });
});
