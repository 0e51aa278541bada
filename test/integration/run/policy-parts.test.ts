// `conductor run` with an allow rule for `echo ok*` and a deny rule for `touch *`: every command that hides
// a second command (lists, pipes, substitutions, backticks, subshells, redirections) is judged part by
// part, and none of the hidden parts runs; the plain `echo ok` does.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { conductor, onlyExec, readEvents, tempProject } from './helpers';

it('none of the sneaky parts runs; each decision records the part and the rule', async () => {
  const cwd = tempProject();
  const r = await conductor(cwd, ['run', 'test/fixtures/plans/sneaky.plan.yaml']);
  expect(r.exitCode, String(r.all)).toBe(0);
  const exec = onlyExec(cwd);
  const ws = join(cwd, 'trace', exec, 'workspace');
  for (const f of ['and', 'semi', 'or', 'pipe', 'subst', 'tick', 'redirect', 'append', 'subshell', 'quoted', 'procsub']) {
    expect(existsSync(join(ws, `${f}.txt`)), `${f}.txt`).toBe(false);
  }
  const decided = readEvents(cwd, exec).filter((e) => e.type === 'approval.decided');
  expect(decided).toHaveLength(12);
  expect(decided.slice(0, 11).every((d) => d.decision === 'deny' && d.by === 'policy')).toBe(true);
  expect(decided[11]).toMatchObject({ decision: 'allow', by: 'policy', rule: 'allow "echo ok*"' });
  expect(decided[0].rule).toBe('deny "touch *" on `touch and.txt`');
  // A redirection to a file is a part of its own: no rule allows it, and nobody is there to ask.
  expect(String(decided[6].rule)).toMatch(/nobody to ask in a headless run \(no rule covers `> redirect\.txt`\)/);
});
