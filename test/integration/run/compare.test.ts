// `conductor compare`: the bundled comparison runs offline and prints its table and diff of diffs; on a git
// repository each provider's worktree starts at one commit and is removed (or kept with --keep); what cannot
// be compared is bad input (exit 2).
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conductor, onlyExec, readEvents, REPO, tempProject, git, gitRepo } from './helpers';


/** The table's row for one figure: its cells after the label. */
const row = (stdout: unknown, label: string): string[] => {
  const line = String(stdout).split('\n').find((l) => l.startsWith(`${label}  `));
  if (!line) throw new Error(`no "${label}" row in:\n${stdout}`);
  return line.slice(label.length).trim().split(/\s{2,}/);
};

describe('conductor compare plans/compare.plan.yaml', () => {
  it('runs both sim variants side by side on their own copies and compares them', { timeout: 120_000 }, async () => {
    const dir = tempProject();
    copyFileSync(join(REPO, 'conductor.yaml'), join(dir, 'conductor.yaml'));
    const r = await conductor(dir, ['compare', 'plans/compare.plan.yaml']);
    expect(r.exitCode, String(r.all)).toBe(0);
    const exec = onlyExec(dir);
    expect(String(r.stdout)).toContain('— 1 step × 2 providers (sim-careful, sim-quick), execution');
    expect(row(r.stdout, '')).toEqual(['sim-careful', 'sim-quick']);
    expect(row(r.stdout, 'status')).toEqual(['✓ passed', '✓ passed']);
    expect(row(r.stdout, 'approvals asked')).toEqual(['3', '1']);
    expect(row(r.stdout, 'denied')).toEqual(['0', '0']);
    expect(row(r.stdout, 'commands run')).toEqual(['3', '1']);
    expect(row(r.stdout, 'files changed')).toEqual(['3', '3']);
    expect(row(r.stdout, 'checks passed')).toEqual(['1/1', '1/1']);
    expect(r.stdout).toContain('only sim-careful changed: test/greet.test.js');
    expect(r.stdout).toContain('only sim-quick changed: README.md');
    expect(r.stdout).toContain('changed differently: src/greet.js');
    expect(r.stdout).toContain('changed the same way: build/greeting.txt');

    // Both lanes started at the same time, each in its own copy of the fixture.
    const events = readEvents(dir, exec);
    const created = events[0] as unknown as { lanes: string[]; units: { id: string; lane: string; step: string }[] };
    expect(created.lanes).toEqual(['sim-careful', 'sim-quick']);
    expect(created.units.map((u) => [u.id, u.lane, u.step])).toEqual([
      ['greet@sim-careful', 'sim-careful', 'greet'],
      ['greet@sim-quick', 'sim-quick', 'greet'],
    ]);
    const started = events.filter((e) => e.type === 'step.started').map((e) => e.unit);
    const firstEnd = events.findIndex((e) => e.type === 'session.state' && e.state === 'completed');
    expect(events.slice(0, firstEnd).filter((e) => e.type === 'step.started')).toHaveLength(2);
    expect(started.sort()).toEqual(['greet@sim-careful', 'greet@sim-quick']);
    const ws = join(dir, 'trace', exec, 'workspace');
    expect(readdirSync(ws).sort()).toEqual(['sim-careful', 'sim-quick']);
    expect(existsSync(join(ws, 'sim-careful', 'test/greet.test.js'))).toBe(true);
    expect(existsSync(join(ws, 'sim-quick', 'test/greet.test.js'))).toBe(false);
    // Nothing was written where it was run from, nor into the fixture.
    expect(existsSync(join(dir, 'src'))).toBe(false);
    expect(existsSync(join(dir, 'plans/demo-workspace/src/greet.js'))).toBe(false);

    const careful = JSON.parse(readFileSync(join(dir, 'trace', exec, 'lanes', 'sim-careful.json'), 'utf8')) as { files: { path: string; status: string }[] };
    expect(careful.files.map((f) => [f.path, f.status])).toEqual([
      ['build/greeting.txt', 'added'],
      ['src/greet.js', 'added'],
      ['test/greet.test.js', 'added'],
    ]);
  });

  it('refuses what it cannot compare, with what to change (exit 2)', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conductor-cmp-'));
    writeFileSync(join(dir, 'one.plan.yaml'), 'goal: g\nworkspace:\n  fixture: ws\nsteps:\n  - id: a\n    task: t\n');
    writeFileSync(join(dir, 'inplace.plan.yaml'), 'goal: g\nproviders: [sim, shell]\nworkspace: .\nsteps:\n  - id: a\n    task: t\n');
    writeFileSync(join(dir, 'nogit.plan.yaml'), 'goal: g\nproviders: [sim, shell]\nsteps:\n  - id: a\n    task: t\n');
    const one = await conductor(dir, ['compare', 'one.plan.yaml']);
    expect(one.exitCode).toBe(2);
    expect(one.stderr).toContain('one.plan.yaml names one provider: compare it on two or more with --providers A,B');
    const single = await conductor(dir, ['compare', 'one.plan.yaml', '--providers', 'sim']);
    expect(single.exitCode).toBe(2);
    expect(single.stderr).toContain('--providers sim: a comparison needs two or more providers (for one, use --provider sim)');
    const inplace = await conductor(dir, ['compare', 'inplace.plan.yaml']);
    expect(inplace.exitCode).toBe(2);
    expect(inplace.stderr).toContain('a comparison runs each provider in its own copy');
    const valid = await conductor(dir, ['validate', 'nogit.plan.yaml']);
    expect(valid.stdout).toContain('ok nogit.plan.yaml: plan, 1 step: a; compared on sim, shell');
    const nogit = await conductor(dir, ['run', 'nogit.plan.yaml']);
    expect(nogit.exitCode).toBe(2);
    expect(nogit.stderr).toMatch(/is not a git repository: a comparison needs a workspace per provider/);
    const unknown = await conductor(dir, ['compare', 'one.plan.yaml', '--providers', 'sim,codx']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unknown provider "codx" (--providers)');
    for (const r of [one, single, inplace, nogit, unknown]) expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'trace'))).toBe(false);
  });
});

describe('compare on a git repository', () => {
  function repo(): { dir: string; head: string } {
    const { dir, head } = gitRepo('conductor-cmp-git-', 'from the commit\n');
    // Each variant records the commit its folder is at, and changes base.txt its own way.
    const variant = (word: string) => ({
      extends: 'sim',
      sim: {
        actions: [
          { run: 'git rev-parse HEAD > head.txt', ask: false },
          { write: { path: 'base.txt', content: `from the commit\n${word}\n` } },
          { say: 'done' },
        ],
      },
    });
    writeFileSync(join(dir, 'conductor.yaml'), JSON.stringify({ providers: { left: variant('left'), right: variant('right') } }));
    writeFileSync(join(dir, 'plan.yaml'), JSON.stringify({ goal: 'g', providers: ['left', 'right'], approval: 'allow', steps: [{ id: 'edit', task: 'edit base.txt' }] }));
    return { dir, head };
  }

  it('each provider works in a worktree at the same commit, removed and unregistered at the end', { timeout: 120_000 }, async () => {
    const { dir, head } = repo();
    const r = await conductor(dir, ['compare', 'plan.yaml']);
    expect(r.exitCode, String(r.all)).toBe(0);
    const exec = onlyExec(dir);
    expect((readEvents(dir, exec)[0] as unknown as { baseCommit: string }).baseCommit).toBe(head);
    for (const lane of ['left', 'right']) {
      const changes = JSON.parse(readFileSync(join(dir, 'trace', exec, 'lanes', `${lane}.json`), 'utf8')) as { files: { path: string; after?: string }[] };
      expect(changes.files.find((f) => f.path === 'head.txt')?.after?.trim()).toBe(head);
      expect(changes.files.find((f) => f.path === 'base.txt')?.after).toBe(`from the commit\n${lane}\n`);
      expect(existsSync(join(dir, 'trace', exec, 'workspace', lane))).toBe(false);
    }
    expect(r.stdout).toContain('changed differently: base.txt');
    expect(git(dir, 'worktree', 'list').split('\n')).toHaveLength(1);
    // The project itself is untouched.
    expect(readFileSync(join(dir, 'base.txt'), 'utf8')).toBe('from the commit\n');
  });

  it('--keep keeps each worktree, at the base commit with the lane\'s changes', { timeout: 120_000 }, async () => {
    const { dir, head } = repo();
    const r = await conductor(dir, ['compare', 'plan.yaml', '--keep', '--json']);
    expect(r.exitCode, String(r.all)).toBe(0);
    const exec = onlyExec(dir);
    // --json: the summary line carries each provider's figures.
    const summary = JSON.parse(String(r.stdout).trim().split('\n').at(-1)!) as { type: string; comparison: { provider: string; status: string; filesChanged: number }[] };
    expect(summary.type).toBe('run.summary');
    expect(summary.comparison.map((c) => [c.provider, c.status, c.filesChanged])).toEqual([
      ['left', 'passed', 2],
      ['right', 'passed', 2],
    ]);
    for (const lane of ['left', 'right']) {
      const wt = join(dir, 'trace', exec, 'workspace', lane);
      expect(git(wt, 'rev-parse', 'HEAD')).toBe(head);
      expect(readFileSync(join(wt, 'base.txt'), 'utf8')).toBe(`from the commit\n${lane}\n`);
    }
    expect(git(dir, 'worktree', 'list').split('\n')).toHaveLength(3);
  });
});
