// At-least-once, not more: a conductor killed while a step's checks run makes resume run the checks again, not the
// agent; a log damaged in the middle names its line and what to do, and `conductor recover` cuts it back.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEventLog } from '../../../src/adapters/store/event-log';
import { conductor, readEvents, tempProject } from '../run/helpers';
import { runAndKill } from './helpers';

const PLAN = 'test/fixtures/plans/slow-check.plan.yaml';
const inChecks = (events: { type: string }[]) => events.some((e) => e.type === 'check.started');

describe('killed during checks', () => {
  it('resume re-runs only the checks: one agent session, two check runs, passed', { timeout: 150_000 }, async () => {
    const cwd = tempProject();
    // Killed once the check has really begun (it wrote its line), so its run is cut off, not skipped.
    const exec = await runAndKill(cwd, PLAN, (events, id) => inChecks(events) && existsSync(join(cwd, 'trace', id, 'workspace', 'check-runs.txt')));
    const ws = join(cwd, 'trace', exec, 'workspace');
    writeFileSync(join(ws, 'release'), '');
    const r = await conductor(cwd, ['resume', exec]);
    expect(r.exitCode, String(r.all)).toBe(0);
    const events = readEvents(cwd, exec);
    expect(events.filter((e) => e.type === 'step.started').map((e) => e.session)).toEqual(['build#1']);
    expect(events.filter((e) => e.type === 'session.spawned')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'check.started')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'check.finished')).toMatchObject([{ name: 'waits', passed: true }]);
    expect(readFileSync(join(ws, 'check-runs.txt'), 'utf8')).toBe('run\nrun\n');
    expect(events.at(-1)).toMatchObject({ type: 'execution.finished', status: 'passed' });
  });
});

describe('a damaged log', () => {
  it('status names file:line and `conductor recover`; recover backs up, truncates to the last good event, and resume goes on', { timeout: 150_000 }, async () => {
    const cwd = tempProject();
    const exec = await runAndKill(cwd, PLAN, inChecks);
    const eventsPath = join(cwd, 'trace', exec, 'events.jsonl');
    const good = await conductor(cwd, ['recover', exec]);
    expect(good.exitCode, String(good.all)).toBe(0);
    expect(good.stdout).toMatch(/nothing to recover: all \d+ events are good/);

    const lines = readFileSync(eventsPath, 'utf8').split('\n').filter(Boolean);
    const bad = lines.findIndex((l) => JSON.parse(l).type === 'session.spawned');
    expect(bad).toBeGreaterThan(0);
    lines[bad] = '{"seq": not json';
    const damaged = `${lines.join('\n')}\n`;
    writeFileSync(eventsPath, damaged);

    const status = await conductor(cwd, ['status', exec]);
    expect(status.exitCode).toBe(2);
    expect(status.stderr).toContain(`events.jsonl:${bad + 1}: corrupt event log line (invalid JSON`);
    expect(status.stderr).toContain(`run \`conductor recover ${exec}\``);
    expect(status.stderr).not.toMatch(/\n\s+at /);

    const r = await conductor(cwd, ['recover', exec]);
    expect(r.exitCode, String(r.all)).toBe(0);
    const backup = /backed up the log to (\S+)/.exec(String(r.stdout))?.[1];
    expect(backup, String(r.stdout)).toMatch(new RegExp(`trace/${exec}/events\\.jsonl\\.bak-\\d{8}T\\d{6}Z$`));
    expect(readFileSync(join(cwd, backup!), 'utf8')).toBe(damaged);
    expect(r.stdout).toContain(`kept ${bad} events`);
    expect(r.stdout).toContain(`dropped ${lines.length - bad} lines`);
    const kept = readEventLog(eventsPath);
    expect(kept.torn).toBeUndefined();
    expect(kept.events.map((e) => JSON.stringify(e))).toEqual(lines.slice(0, bad).map((l) => JSON.stringify(JSON.parse(l))));

    expect((await conductor(cwd, ['status', exec])).exitCode).toBe(0);
    writeFileSync(join(cwd, 'trace', exec, 'workspace', 'release'), '');
    const resumed = await conductor(cwd, ['resume', exec]);
    expect(resumed.exitCode, String(resumed.all)).toBe(0);
    const events = readEvents(cwd, exec);
    for (let i = 1; i < events.length; i++) expect(events[i].seq).toBe(events[i - 1].seq + 1);
    expect(events.at(-1)).toMatchObject({ type: 'execution.finished', status: 'passed' });

    const unknown = await conductor(cwd, ['recover', 'exec-20200101-000000-zzzz']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/^no execution exec-20200101-000000-zzzz: /);
  });
});
