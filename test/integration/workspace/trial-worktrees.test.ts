// A scenario on a git repository: each trial runs in its own worktree at the same commit, removed (and
// unregistered) once judged, or kept with --keep.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conductor, onlyExec, git, gitRepo } from '../run/helpers';


function repo(): { dir: string; head: string } {
  const { dir, head } = gitRepo('conductor-git-', 'from the commit\n');
  writeFileSync(
    join(dir, 'wt.scenario.yaml'),
    JSON.stringify({
      name: 'worktrees',
      task: 'write out.txt',
      workspace: { git: 'HEAD' },
      providers: ['sim'],
      trials: 2,
      concurrency: 2,
      timeout: '1m',
      approval: { default: 'allow' },
      sim: { seed: 1, actions: [{ write: { path: 'out.txt', content: 'made here\n' } }, { say: 'done' }] },
      assertions: [{ fileExists: 'base.txt', required: true }, { fileContains: { path: 'out.txt', text: 'made here' } }],
      threshold: 1,
    }),
  );
  return { dir, head: git(dir, 'rev-parse', 'HEAD') };
}

describe('trials on git worktrees', () => {
  it('each trial has its own worktree at the same commit; kept with --keep, else removed and unregistered', { timeout: 120_000 }, async () => {
    const kept = repo();
    const r = await conductor(kept.dir, ['run', 'wt.scenario.yaml', '--keep']);
    expect(r.exitCode, String(r.all)).toBe(0);
    expect(r.stdout).toContain('sim: 2/2 passed');
    const exec = onlyExec(kept.dir);
    const ws = join(kept.dir, 'trace', exec, 'workspace');
    expect(readdirSync(ws).sort()).toEqual(['sim-1', 'sim-2']);
    for (const t of ['sim-1', 'sim-2']) {
      expect(git(join(ws, t), 'rev-parse', 'HEAD')).toBe(kept.head);
      expect(existsSync(join(ws, t, 'out.txt'))).toBe(true);
    }
    // The agents' writes went to their worktrees, not the repository.
    expect(existsSync(join(kept.dir, 'out.txt'))).toBe(false);
    expect(git(kept.dir, 'worktree', 'list').split('\n')).toHaveLength(3);

    const clean = repo();
    const c = await conductor(clean.dir, ['run', 'wt.scenario.yaml']);
    expect(c.exitCode, String(c.all)).toBe(0);
    const cexec = onlyExec(clean.dir);
    expect(readdirSync(join(clean.dir, 'trace', cexec, 'workspace'))).toEqual([]);
    expect(git(clean.dir, 'worktree', 'list').split('\n')).toHaveLength(1);
  });
});
