// The comparison in `conductor report` and `conductor status`, from the built CLI: the bundled compare plan run
// by `conductor compare` (two sim variants of the repository's conductor.yaml) gives a json comparison with both
// providers and every figure, the diff of diffs, a markdown table with ```diff blocks and an html table; a
// scenario with two providers gives rows for both and the Fisher line.
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReportSchema } from '../../unit/report/schema';
import { REPO } from './helpers';
import { cli } from './report-fixture';

const KEYS = ['provider', 'status', 'durationMs', 'approvals', 'denied', 'commands', 'filesChanged', 'linesAdded', 'linesRemoved', 'checks', 'tokens', 'cost'];

const execIn = (out: string): string => {
  const execs = readdirSync(join(out, 'trace')).filter((d) => d.startsWith('exec-'));
  expect(execs).toHaveLength(1);
  return execs[0];
};

describe('conductor report and status of `conductor compare plans/compare.plan.yaml`', () => {
  let out: string;
  let exec: string;
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'conductor-compare-report-'));
    const run = await cli(REPO, ['compare', 'plans/compare.plan.yaml', '--out', out]);
    expect(run.exitCode, run.all).toBe(0);
    exec = execIn(out);
  }, 120_000);

  it('json: both providers with every figure the run produced, and the diff of diffs', async () => {
    const r = await cli(REPO, ['report', exec, '--out', out, '--format', 'json', '-o', '-']);
    expect(r.exitCode, r.stderr).toBe(0);
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    const c = report.comparison!;
    expect(c.basis).toBe('lanes');
    expect(c.providers.map((p) => p.provider)).toEqual(['sim-careful', 'sim-quick']);
    for (const p of c.providers) for (const k of KEYS) expect(p, k).toHaveProperty(k);
    const [careful, quick] = c.providers;
    expect(careful).toMatchObject({ status: 'passed', approvals: 3, denied: 0, commands: 3, filesChanged: 3, checks: { passed: 1, total: 1 }, tokens: null, cost: null });
    expect(quick).toMatchObject({ status: 'passed', approvals: 1, denied: 0, commands: 1, filesChanged: 3, checks: { passed: 1, total: 1 }, tokens: null, cost: null });
    expect(careful.durationMs).toBeGreaterThan(0);
    const d = c.diffOfDiffs!;
    expect(d.onlyIn).toEqual({ 'sim-careful': ['test/greet.test.js'], 'sim-quick': ['README.md'] });
    const greet = d.files.find((f) => f.path === 'src/greet.js')!;
    expect(greet.same).toBe(false);
    expect(greet.diffs).toHaveLength(1);
    expect(greet.diffs[0].patch).toContain("-function greet(name = 'world') {");
    expect(greet.diffs[0].patch).toContain("+module.exports.greet = (name) => `Hello, ${name ?? 'world'}!`;");
    expect(d.files.find((f) => f.path === 'build/greeting.txt')).toMatchObject({ same: true, diffs: [] });
  });

  it('md has the table and a ```diff block; html has the table and the coloured diff', async () => {
    const md = await cli(REPO, ['report', exec, '--out', out, '--format', 'md', '-o', '-']);
    expect(md.exitCode, md.stderr).toBe(0);
    expect(md.stdout).toContain('| | sim-careful | sim-quick |\n|---|---|---|\n| status | ✓ passed | ✓ passed |');
    expect(md.stdout).toContain('| approvals asked | 3 | 1 |');
    expect(md.stdout).toMatch(/#### Changed differently: `src\/greet\.js`[\s\S]*```diff\n[\s\S]*--- sim-careful\/src\/greet\.js\n\+\+\+ sim-quick\/src\/greet\.js/);
    const html = await cli(REPO, ['report', exec, '--out', out, '--format', 'html', '-o', '-']);
    expect(html.exitCode, html.stderr).toBe(0);
    expect(html.stdout).toContain('<table class="compare"><thead><tr><th></th><th>sim-careful</th><th>sim-quick</th></tr></thead>');
    expect(html.stdout).toContain('<tr><th>approvals asked</th><td>3</td><td>1</td></tr>');
    expect(html.stdout).toContain('<span class="add">+module.exports.greet = (name) =&gt;');
  });

  it('status prints the table and the diff-of-diffs lines after the steps', async () => {
    const r = await cli(REPO, ['status', exec, '--out', out]);
    expect(r.exitCode, r.stderr).toBe(0);
    const text = r.stdout;
    expect(text).toMatch(/^ {2}\s+sim-careful\s+sim-quick$/m);
    expect(text).toMatch(/^ {2}approvals asked\s+3\s+1$/m);
    expect(text).toContain('  only sim-careful changed: test/greet.test.js');
    expect(text).toContain('  only sim-quick changed: README.md');
    expect(text).toContain('  changed differently: src/greet.js');
    expect(text).toContain('  changed the same way: build/greeting.txt');
    expect(text.indexOf('greet@sim-quick')).toBeLessThan(text.indexOf('approvals asked'));
  });
});

describe('conductor report of a scenario run on two providers', () => {
  let cwd: string;
  let exec: string;
  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'conductor-scenario-compare-'));
    cpSync(join(REPO, 'plans'), join(cwd, 'plans'), { recursive: true });
    writeFileSync(join(cwd, 'conductor.yaml'), 'providers:\n  sim-b:\n    extends: sim\n');
    const scenario = readFileSync(join(cwd, 'plans/greeting.scenario.yaml'), 'utf8');
    const two = scenario.replace('providers: [sim]', 'providers: [sim, sim-b]').replace('trials: 8', 'trials: 2').replace('failRate: 0.35', 'failRate: 0');
    expect(two).not.toBe(scenario);
    writeFileSync(join(cwd, 'plans/two.scenario.yaml'), two);
    const run = await cli(cwd, ['run', 'plans/two.scenario.yaml', '--json']);
    expect(run.exitCode, run.all).toBe(0);
    const summary = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; exec?: string })
      .find((e) => e.type === 'run.summary');
    exec = summary!.exec!;
    expect(exec).toMatch(/^exec-/);
  }, 180_000);

  it('json and md: a row per provider over its trials, and Fisher’s exact test by name', async () => {
    const r = await cli(cwd, ['report', exec, '--format', 'json', '-o', '-']);
    expect(r.exitCode, r.stderr).toBe(0);
    const c = ReportSchema.parse(JSON.parse(r.stdout)).comparison!;
    expect(c.basis).toBe('trials');
    expect(c.providers.map((p) => [p.provider, p.status, p.trials])).toEqual([
      ['sim', 'passed', { passed: 2, counted: 2, total: 2 }],
      ['sim-b', 'passed', { passed: 2, counted: 2, total: 2 }],
    ]);
    for (const p of c.providers) {
      for (const k of KEYS) expect(p, k).toHaveProperty(k);
      expect(p.filesChanged).toBeGreaterThan(0);
      expect(p.checks.total).toBeGreaterThan(0);
    }
    expect(c.significance).toEqual([{ a: 'sim', b: 'sim-b', test: "Fisher's exact test (two-sided)", p: 1, alpha: 0.05, significant: false }]);
    const md = await cli(cwd, ['report', exec, '--format', 'md', '-o', '-']);
    expect(md.stdout).toContain('| | sim | sim-b |');
    expect(md.stdout).toContain("- Fisher's exact test (two-sided) on pass/fail counts, sim vs sim-b: p = 1, significant at 0.05: no");
    expect(md.stdout).toContain('## Pass rates');
  });
});
