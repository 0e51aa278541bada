// e2e: `conductor compare --tui`, the real binary in a pseudo-terminal. The bundled compare plan: one pane per
// provider side by side, each titled with its provider, then the comparison view with both providers' figures.
// Two sim variants asking the same command: the "same answer for all" key records one decision per approval.
import { cpSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitRepo, readEvents, REPO, tempProject } from '../integration/run/helpers';
import { spawnConductor } from './term';

const rowsOf = (screen: string, re: RegExp): number[] => screen.split('\n').flatMap((l, i) => (re.test(l) ? [i] : []));

describe.concurrent('conductor compare --tui', () => {
  it('plans/compare.plan.yaml at 120×40: both panes side by side, then the comparison view (approvals 3 vs 1)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'conductor-compare-'));
    const t = spawnConductor(['compare', 'plans/compare.plan.yaml', '--tui', '--out', out], { cwd: REPO, cols: 120, rows: 40 });
    // Both lanes' panes, each titled by its provider, on the same screen rows.
    const split = await t.waitFor((s) => rowsOf(s, /sim-careful · /).some((r) => rowsOf(s, /sim-quick · /).includes(r)), 30_000);
    const row = rowsOf(split, /sim-careful · /).find((r) => rowsOf(split, /sim-quick · /).includes(r))!;
    const line = split.split('\n')[row];
    expect(line.indexOf('sim-careful')).toBeLessThan(line.indexOf('sim-quick'));
    // The execution finishes by itself (the policy answers every command), and the view opens on it.
    const view = await t.waitFor(/Comparison[\s\S]*approvals asked\s+3\s+1/, 60_000);
    expect(view).toMatch(/sim-careful\s+sim-quick/);
    expect(view).toMatch(/status\s+✓ passed\s+✓ passed/);
    expect(view).toMatch(/Diff of diffs/);
    // The lanes' changes were recorded before the view read them: the diff of diffs names the files.
    await t.waitFor(/only sim-careful changed: test\/greet\.test\.js/, 20_000);
    expect(t.screen()).toMatch(/changed differently: src\/greet\.js/);
    t.write('\x1b');
    await t.waitFor((s) => !/Diff of diffs/.test(s));
    t.write('C');
    await t.waitFor(/Diff of diffs/);
    t.write('q');
    expect((await t.exited).exitCode).toBe(0);
    const exec = readdirSync(join(out, 'trace')).find((d) => d.startsWith('exec-'))!;
    expect(readdirSync(join(out, 'trace', exec, 'lanes'))).toEqual(expect.arrayContaining(['sim-careful.json', 'sim-quick.json']));
  }, 120_000);

  it('"same answer for all" records one decision by the person per identical approval', async () => {
    const cwd = tempProject();
    cpSync(join(REPO, 'test/fixtures/compare/same-ask.plan.yaml'), join(cwd, 'plans/same-ask.plan.yaml'));
    const ask = (command: string) => `    extends: sim\n    sim:\n      actions:\n        - say: making the folder\n        - run: ${command}\n`;
    writeFileSync(join(cwd, 'conductor.yaml'), `providers:\n  sim-a:\n${ask('mkdir -p build')}  sim-b:\n${ask('"mkdir   -p build"'.slice(1, -1))}`);
    const t = spawnConductor(['tui', 'plans/same-ask.plan.yaml'], { cwd, cols: 120, rows: 40 });
    const overlay = await t.waitFor(/same answer for all 2/, 30_000);
    expect(overlay).toMatch(/sim-(a|b) asks to run \(step build · backend\):/);
    t.write('*');
    await t.waitFor(/Same answer for all 2 \(sim-(a, sim-b|b, sim-a)\)/);
    t.write('y');
    await t.waitFor(/Comparison/, 30_000);
    t.write('q');
    expect((await t.exited).exitCode).toBe(0);
    const exec = readdirSync(join(cwd, 'trace')).find((d) => d.startsWith('exec-'))!;
    const events = readEvents(cwd, exec);
    const requested = events.filter((e) => e.type === 'approval.requested');
    const decided = events.filter((e) => e.type === 'approval.decided');
    expect(requested).toHaveLength(2);
    expect(decided.map((e) => [e.decision, e.by, e.how])).toEqual([
      ['allow', 'user', 'overlay'],
      ['allow', 'user', 'overlay'],
    ]);
    expect(decided.map((e) => e.id).sort()).toEqual(requested.map((e) => e.id).sort());
  }, 120_000);

  it('on a git repository the lanes keep their worktrees while the UI is open (a retry runs there), removed when it quits', async () => {
    const { dir: cwd } = gitRepo('conductor-compare-git-', 'base\n');
    const variant = (word: string) => `  ${word}:\n    extends: sim\n    sim:\n      actions:\n        - write: {path: ${word}.txt, content: "${word}"}\n`;
    writeFileSync(join(cwd, 'conductor.yaml'), `providers:\n${variant('left')}${variant('right')}`);
    writeFileSync(join(cwd, 'lanes.plan.yaml'), 'goal: g\nproviders: [left, right]\napproval: allow\nsteps:\n  - id: edit\n    task: write a file\n');
    const t = spawnConductor(['tui', 'lanes.plan.yaml'], { cwd, cols: 120, rows: 40 });
    await t.waitFor(/only left changed: left\.txt/, 60_000);
    const exec = readdirSync(join(cwd, 'trace')).find((d) => d.startsWith('exec-'))!;
    const ws = (lane: string) => join(cwd, 'trace', exec, 'workspace', lane);
    expect(existsSync(join(ws('left'), 'left.txt'))).toBe(true);
    expect(git(cwd, 'worktree', 'list').split('\n')).toHaveLength(3);
    t.write('q');
    expect((await t.exited).exitCode).toBe(0);
    expect(existsSync(ws('left')) || existsSync(ws('right'))).toBe(false);
    expect(git(cwd, 'worktree', 'list').split('\n')).toHaveLength(1);
  }, 120_000);
});
