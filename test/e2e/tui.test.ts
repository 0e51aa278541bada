// e2e: the real `bin/conductor tui` in a pseudo-terminal, its screen read through @xterm/headless:
// board, approval overlay answered with keys, completion, quit; quit mid-way and resume; deny.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConductorEvent } from '../../src/core/events';
import { replay } from '../../src/core/machine';
import { onlyExec, readEvents, tempProject } from '../integration/run/helpers';
import { spawnConductor } from './term';

describe('conductor tui plans/demo.plan.yaml', () => {
  it('shows the board, answers the approval with y, completes, quits with q', async () => {
    const cwd = tempProject();
    const t = spawnConductor(['tui', 'plans/demo.plan.yaml'], { cwd });
    await t.waitFor(/Add a greeting module/);
    const board = await t.waitFor(/api[\s\S]*docs[\s\S]*test/);
    expect(board).toMatch(/plan/);
    const overlay = await t.waitFor(/Approval 1 of 1/);
    expect(overlay).toMatch(/mkdir -p build/);
    expect(overlay).toMatch(/via screen/);
    t.write('y');
    const second = await t.waitFor(/\$ node test\/greet\.test\.js/);
    expect(second).toMatch(/step test · tester · sim/);
    t.write('y');
    await t.waitFor(/· passed/);
    t.write('q');
    const exit = await t.exited;
    expect(exit.exitCode).toBe(0);
    const exec = onlyExec(cwd);
    const events = readEvents(cwd, exec);
    const decisions = events.filter((e) => e.type === 'approval.resolved').map((e) => [e.decision, e.by]);
    expect(decisions).toEqual([
      ['allow', 'user'],
      ['allow', 'user'],
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'execution.finished', status: 'passed' });
    expect(existsSync(join(cwd, 'proof', exec, 'step-test-tester.cast'))).toBe(true);
    expect(existsSync(join(cwd, 'trace', exec, 'workspace/build/greeting.txt'))).toBe(true);
    expect(t.raw()).not.toMatch(/\x1b\]52;/);
  });
});

describe('conductor tui: quitting, resuming, denying', () => {
  it('q in the middle asks, stops cleanly; tui --resume finishes without re-running completed steps', async () => {
    const cwd = tempProject();
    const t = spawnConductor(['tui', 'test/fixtures/plans/slow.plan.yaml'], { cwd });
    await t.waitFor(/working slowly/);
    t.write('q');
    await t.waitFor(/[Qq]uit/);
    t.write('y');
    expect((await t.exited).exitCode).toBe(0);
    const exec = onlyExec(cwd);
    expect(t.raw()).toContain(`conductor tui --resume ${exec}`);
    const before = readEvents(cwd, exec);
    expect(before.some((e) => e.type === 'execution.interrupted')).toBe(true);
    const state = replay(before as unknown as ConductorEvent[])!;
    expect(state.status).toBe('interrupted');
    expect(state.sessions['second#1'].state).toBe('interrupted');
    expect(state.units.first.status).toBe('passed');

    writeFileSync(join(cwd, 'trace', exec, 'workspace', 'release'), '');
    const r = spawnConductor(['tui', '--resume', exec], { cwd });
    await r.waitFor(/· passed/, 30_000);
    r.write('q');
    expect((await r.exited).exitCode).toBe(0);
    const after = readEvents(cwd, exec);
    const started = after.filter((e) => e.type === 'step.started').map((e) => `${String(e.unit)}#${String(e.attempt)}`);
    expect(started).toEqual(['first#1', 'second#1', 'second#2', 'third#1']);
    expect(after.at(-1)).toMatchObject({ type: 'execution.finished', status: 'passed' });
  });

  it('n denies: the command does not run and the step fails', async () => {
    const cwd = tempProject();
    const t = spawnConductor(['tui', 'plans/demo.plan.yaml'], { cwd });
    await t.waitFor(/Approval 1 of 1/);
    t.write('n');
    const screen = await t.waitFor(/✗ api/);
    expect(screen).toMatch(/· failed|missing expected output/);
    t.write('q');
    expect((await t.exited).exitCode).toBe(1);
    const exec = onlyExec(cwd);
    const events = readEvents(cwd, exec);
    expect(events.find((e) => e.type === 'approval.resolved')).toMatchObject({ decision: 'deny', by: 'user' });
    expect(events.find((e) => e.type === 'step.finished' && e.unit === 'api')).toMatchObject({ status: 'failed' });
    expect(existsSync(join(cwd, 'trace', exec, 'workspace/build/greeting.txt'))).toBe(false);
    expect(readFileSync(join(cwd, 'proof', exec, 'step-api-backend.md'), 'utf8')).toMatch(/Denied/);
  });
});

describe('conductor tui keeps agent bytes inside their pane', () => {
  it('no clipboard, title, mode or cursor sequence from an agent reaches the host terminal', async () => {
    const cwd = tempProject();
    const t = spawnConductor(['tui', 'test/fixtures/plans/hostile.plan.yaml'], { cwd });
    await t.waitFor(/still-in-the-pane/);
    await t.waitFor(/· passed/, 20_000);
    t.write('q');
    await t.exited;
    const host = t.raw();
    expect(host).not.toMatch(/\x1b\]52;/);
    expect(host).not.toMatch(/pwned/);
    expect(host).not.toMatch(/\x1b\[\?1000h/);
    expect(host).not.toMatch(/\x1b\[999;999H/);
    // The TUI itself enters the alternate screen once and leaves it once.
    expect(host.split('\x1b[?1049h').length - 1).toBe(1);
    expect(host.split('\x1b[?1049l').length - 1).toBe(1);
    expect(host).not.toMatch(/\x1b\[2J[\s\S]*\x1b\[2J[\s\S]*moved/);
  });
});

describe('conductor tui: start picker and settings', () => {
  it('with no FILE shows a picker of plans and resumable executions; Enter opens one', async () => {
    const cwd = tempProject();
    const t = spawnConductor(['tui'], { cwd });
    const picker = await t.waitFor(/plans\/demo\.plan\.yaml/);
    expect(picker).toMatch(/plans\/greeting\.scenario\.yaml/);
    expect(picker).toMatch(/plans\/release\.plan\.yaml/);
    // The compare plan sorts first (its sim variants live in the repository's conductor.yaml, not here).
    expect(picker).toMatch(/plans\/compare\.plan\.yaml +compare: sim-careful, sim-quick/);
    t.write('\x1b[B');
    await t.waitFor(/❯ plan +plans\/demo\.plan\.yaml/);
    t.write('\r');
    await t.waitFor(/Add a greeting module/);
    await t.waitFor(/Approval 1 of 1/);
    t.write('q');
    // q quits from the approval overlay too, asking first while a session runs: no, then deny, then quit.
    await t.waitFor(/Quit\? 1 session is still running/);
    t.write('n');
    await t.waitFor(/\[y\] allow/);
    t.write('n');
    await t.waitFor(/· failed/);
    t.write('q');
    await t.exited;
  });

  it('a bad keymap override in the user settings is refused with a clear message, exit 2', async () => {
    const cwd = tempProject();
    const settings = join(cwd, 'settings');
    mkdirSync(settings);
    writeFileSync(join(settings, 'config.json'), JSON.stringify({ keymap: { quitt: ['Q'], zoom: ['ctrl+shift+nope'] } }));
    const t = spawnConductor(['tui', 'plans/demo.plan.yaml'], { cwd, env: { CONDUCTOR_CONFIG_DIR: settings } });
    const exit = await t.exited;
    expect(exit.exitCode).toBe(2);
    expect(t.raw()).toMatch(/keymap: unknown command "quitt"; did you mean `quit`\?/);
    expect(t.raw()).toMatch(/keymap\.zoom: cannot read key "ctrl\+shift\+nope"/);
    expect(t.raw()).not.toMatch(/\n\s+at /);
  });

  it('a keymap override from the user settings changes the key and the help bar', async () => {
    const cwd = tempProject();
    const settings = join(cwd, 'settings');
    mkdirSync(settings);
    writeFileSync(join(settings, 'config.json'), JSON.stringify({ keymap: { 'approval-allow': ['Y'] } }));
    const t = spawnConductor(['tui', 'plans/demo.plan.yaml'], { cwd, env: { CONDUCTOR_CONFIG_DIR: settings } });
    const overlay = await t.waitFor(/Approval 1 of 1/);
    expect(overlay).toMatch(/Y allow/);
    t.write('y');
    await new Promise((r) => setTimeout(r, 400));
    expect(t.screen()).toMatch(/Approval 1 of 1/);
    t.write('Y');
    await t.waitFor(/\$ node test\/greet\.test\.js/);
    t.write('Y');
    await t.waitFor(/· passed/);
    t.write('q');
    await t.exited;
  });
});

describe('conductor tui input mode', () => {
  it('keys typed in a pane reach the agent: answering its prompt there is recorded as the person’s decision', async () => {
    const cwd = tempProject();
    const t = spawnConductor(['tui', 'plans/demo.plan.yaml'], { cwd });
    await t.waitFor(/Approval 1 of 1/);
    t.write('l'); // put the overlay off, then type into the api pane
    await t.waitFor(/⚑ 1 pending/);
    t.write('i');
    await t.waitFor(/Ctrl-\]/);
    t.write('y');
    await t.waitFor(/build\/greeting\.txt written/);
    t.write('\x1d');
    await t.waitFor(/\$ node test\/greet\.test\.js/);
    t.write('y');
    await t.waitFor(/· passed/);
    t.write('q');
    await t.exited;
    const events = readEvents(cwd, onlyExec(cwd));
    const first = events.filter((e) => e.type === 'approval.resolved')[0];
    expect(first).toMatchObject({ decision: 'allow', by: 'user' });
    expect(events.some((e) => e.type === 'session.input' && e.session === 'api#1')).toBe(true);
  });
});
