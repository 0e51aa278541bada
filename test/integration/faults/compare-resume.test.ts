// A comparison killed with SIGKILL mid-run resumes where it stopped: each lane keeps its worktree (at the
// commit both started from), finished steps are not run again, and when it ends each lane's changes are
// recorded and the worktrees removed.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, conductor, onlyExec, readEvents, git, gitRepo } from '../run/helpers';


async function until<T>(what: string, probe: () => T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a comparison killed with SIGKILL', () => {
  it('resumes each lane where it stopped, on the same worktrees', { timeout: 180_000 }, async () => {
    const { dir, head } = gitRepo('conductor-cmp-kill-', 'base\n');
    // Step `first` is quick; `second` waits long enough to be cut off by the kill.
    const variant = (word: string) => ({ extends: 'sim', sim: { actions: [{ write: { path: `${word}.txt`, content: `${word}\n` } }, { sleep: '1500ms' }, { say: 'done' }] } });
    writeFileSync(join(dir, 'conductor.yaml'), JSON.stringify({ providers: { left: variant('left'), right: variant('right') } }));
    writeFileSync(
      join(dir, 'two.plan.yaml'),
      JSON.stringify({
        goal: 'g',
        providers: ['left', 'right'],
        approval: 'allow',
        steps: [
          { id: 'first', task: 'first' },
          { id: 'second', task: 'second', dependsOn: 'first', sim: [{ write: { path: 'second.txt', content: 'two\n' } }, { sleep: '20s' }, { say: 'late' }] },
        ],
      }),
    );
    const run = execa('node', [BIN, 'run', 'two.plan.yaml'], { cwd: dir, reject: false, env: { CI: 'true' } });
    const exec = await until('the execution', () => (existsSync(join(dir, 'trace')) ? onlyExecOrUndefined(dir) : undefined));
    // Killed once both lanes are in `second`.
    await until('both lanes in their second step', () => {
      const started = readEvents(dir, exec).filter((e) => e.type === 'step.started' && String(e.unit).startsWith('second@'));
      return started.length === 2 ? true : undefined;
    });
    run.kill('SIGKILL');
    await run;
    for (const lane of ['left', 'right']) {
      const wt = join(dir, 'trace', exec, 'workspace', lane);
      expect(git(wt, 'rev-parse', 'HEAD')).toBe(head);
      expect(readFileSync(join(wt, `${lane}.txt`), 'utf8')).toBe(`${lane}\n`);
    }

    // The resumed second steps finish quickly this time: the file now says so.
    const plan = JSON.parse(readFileSync(join(dir, 'two.plan.yaml'), 'utf8')) as { steps: { sim?: unknown[] }[] };
    plan.steps[1].sim = [{ write: { path: 'second.txt', content: 'two\n' } }, { say: 'done' }];
    writeFileSync(join(dir, 'two.plan.yaml'), JSON.stringify(plan));
    const resumed = await conductor(dir, ['resume', exec]);
    expect(resumed.exitCode, String(resumed.all)).toBe(0);
    const events = readEvents(dir, exec);
    const sessions = (unit: string) => events.filter((e) => e.type === 'step.started' && e.unit === unit).length;
    expect([sessions('first@left'), sessions('first@right'), sessions('second@left'), sessions('second@right')]).toEqual([1, 1, 2, 2]);
    for (const lane of ['left', 'right']) {
      const changes = JSON.parse(readFileSync(join(dir, 'trace', exec, 'lanes', `${lane}.json`), 'utf8')) as { files: { path: string }[] };
      expect(changes.files.map((f) => f.path)).toEqual([`${lane}.txt`, 'second.txt']);
      expect(existsSync(join(dir, 'trace', exec, 'workspace', lane))).toBe(false);
    }
    expect(String(resumed.stdout)).toContain('changed the same way: second.txt');
    expect(git(dir, 'worktree', 'list').split('\n')).toHaveLength(1);
  });
});

function onlyExecOrUndefined(dir: string): string | undefined {
  try {
    const exec = onlyExec(dir);
    return existsSync(join(dir, 'trace', exec, 'events.jsonl')) ? exec : undefined;
  } catch {
    return undefined;
  }
}
