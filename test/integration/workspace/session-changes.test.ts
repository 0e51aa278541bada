// What each session changed, from `conductor run` with real PTYs, the sim agent and real files: a change in a
// folder where two sessions run at once is marked shared and credited to neither; diff.summary is the
// session's own change from its start, in a plain folder and in a git folder with uncommitted changes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { conductor, onlyExec, readEvents, tempProject, type LoggedEvent } from '../run/helpers';

const touches = (events: LoggedEvent[]) => events.filter((e) => e.type === 'file.touched');

function fillForEdit(cwd: string): void {
  writeFileSync(join(cwd, 'notes.txt'), 'alpha\nbeta\ngamma\n');
  writeFileSync(join(cwd, 'gone.txt'), 'old\nlines\n');
  writeFileSync(join(cwd, 'keep.txt'), 'untouched\n');
}

const EDIT_DIFF = [
  { path: 'gone.txt', status: 'deleted', added: 0, removed: 2 },
  { path: 'new.txt', status: 'added', added: 3, removed: 0 },
  { path: 'notes.txt', status: 'modified', added: 2, removed: 1 },
];

describe('workspace changes per session', () => {
  it('two sessions at once in one folder: a file written while both run is shared, credited to neither', async () => {
    const cwd = tempProject();
    const r = await conductor(cwd, ['run', 'test/fixtures/plans/shared-folder.plan.yaml']);
    expect(r.exitCode, String(r.all)).toBe(0);
    const exec = onlyExec(cwd);
    const events = readEvents(cwd, exec);
    const seen = touches(events);

    const together = seen.filter((e) => e.path === 'together.txt');
    expect(together.length).toBeGreaterThan(0);
    for (const e of together) {
      expect(e).toMatchObject({ shared: true });
      expect(e.session).toBeUndefined();
      expect([...(e.sessions as string[])].sort()).toEqual(['one#1', 'two#1']);
    }
    // Credited touches are each session's own files only; nothing from conductor's output roots.
    const credited = (s: string) => new Set(seen.filter((e) => e.session === s).map((e) => String(e.path)));
    expect([...credited('one#1')].filter((p) => p !== 'one-here')).toEqual([]);
    expect([...credited('two#1')].filter((p) => p !== 'two-here' && p !== 'two-saw')).toEqual([]);
    expect(seen.filter((e) => /^(proof|trace)(\/|$)/.test(String(e.path)))).toEqual([]);

    // Each session's file count is its credited changes, not every change in the folder.
    for (const s of ['one#1', 'two#1']) {
      const usage = events.find((e) => e.type === 'usage' && e.session === s)!;
      expect(usage.files).toBe(seen.filter((e) => e.session === s && e.seq < usage.seq).length);
    }
    const snapshot = JSON.parse(readFileSync(join(cwd, 'proof', exec, 'execution.json'), 'utf8')) as {
      units: { id: string; files: string[]; sharedFiles?: string[] }[];
    };
    for (const u of snapshot.units) {
      expect(u.files).not.toContain('together.txt');
      expect(u.sharedFiles).toContain('together.txt');
    }
    // Each diff says the folder was shared, so a reader knows some changes may be the other's.
    expect(events.find((e) => e.type === 'diff.summary' && e.unit === 'two')).toMatchObject({ session: 'two#1', shared: ['one#1'] });

    const status = await conductor(cwd, ['status', exec]);
    expect(status.stdout).toMatch(/changes: .*\d+ shared/);
  }, 120_000);

  it('in a folder that is not a git repository, diff.summary lists what the step added, edited and deleted, with lines', async () => {
    const cwd = tempProject();
    const git = await execa('git', ['rev-parse', '--is-inside-work-tree'], { cwd, reject: false });
    expect(git.exitCode).not.toBe(0);
    fillForEdit(cwd);
    const r = await conductor(cwd, ['run', 'test/fixtures/plans/workspace-changes.plan.yaml']);
    expect(r.exitCode, String(r.all)).toBe(0);
    const exec = onlyExec(cwd);
    const diffs = readEvents(cwd, exec).filter((e) => e.type === 'diff.summary');
    expect(diffs).toHaveLength(1);
    expect(diffs[0]).toMatchObject({ unit: 'edit', session: 'edit#1', base: 'session-start' });
    expect(diffs[0].files).toEqual(EDIT_DIFF);
    const status = await conductor(cwd, ['status', exec]);
    expect(status.stdout).toContain('changes: 3 files +5 −3');
  }, 120_000);

  it('in a git folder with uncommitted changes before the run, diff.summary holds only what the session changed', async () => {
    const cwd = tempProject();
    fillForEdit(cwd);
    writeFileSync(join(cwd, 'dirty.txt'), 'committed\n');
    const g = (...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd });
    await g('init', '-q');
    await g('add', '-A');
    await g('commit', '-q', '-m', 'base');
    // Changes that were there before the session started: not its own.
    writeFileSync(join(cwd, 'dirty.txt'), 'committed\nedited before the run\n');
    writeFileSync(join(cwd, 'stray.txt'), 'untracked before the run\n');
    const r = await conductor(cwd, ['run', 'test/fixtures/plans/workspace-changes.plan.yaml']);
    expect(r.exitCode, String(r.all)).toBe(0);
    const diffs = readEvents(cwd, onlyExec(cwd)).filter((e) => e.type === 'diff.summary');
    expect(diffs).toHaveLength(1);
    expect(diffs[0].files).toEqual(EDIT_DIFF);
  }, 120_000);
});
