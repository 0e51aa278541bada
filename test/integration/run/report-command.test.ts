// `conductor report` from the built CLI, in a project folder of its own (not the repository: the html's player is
// found from the installed package wherever the command runs): on a real run of the demo plan, on a scenario
// execution with a re-evaluation, on an interrupted log, and with bad input.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReportSchema } from '../../unit/report/schema';
import { onlyExec, tempProject } from './helpers';
import { cli, EXEC, writeScenarioExecution } from './report-fixture';

describe('conductor report on a real plan run', () => {
  let cwd: string;
  let exec: string;
  beforeAll(async () => {
    cwd = tempProject();
    const run = await cli(cwd, ['run', 'plans/demo.plan.yaml']);
    expect(run.exitCode, run.all).toBe(1);
    exec = onlyExec(cwd);
  }, 120_000);

  it('writes proof/<exec>/report.md by default and prints its path; the end-of-run report.md came from the same renderer', async () => {
    const endOfRun = readFileSync(join(cwd, 'proof', exec, 'report.md'), 'utf8');
    const r = await cli(cwd, ['report', exec]);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toBe(`proof/${exec}/report.md`);
    const md = readFileSync(join(cwd, 'proof', exec, 'report.md'), 'utf8');
    expect(md).toBe(endOfRun);
    expect(md).toContain('| step | role | provider | status | time | attempts | checks | approvals | transcript |');
    expect(md).toMatch(/\| api \| backend \| sim \| ✗ failed \(missing expected output: build\/greeting\.txt\)/);
    expect(md).toContain('[transcript](step-plan-reviewer.md) · [cast](step-plan-reviewer.cast)');
  });

  it('--format md,json,html writes each and prints each path; the json matches the schema and its paths lead to the files', async () => {
    const r = await cli(cwd, ['report', exec, '--format', 'md,json,html']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout.split('\n')).toEqual(['md', 'json', 'html'].map((f) => `proof/${exec}/report.${f}`));
    const report = ReportSchema.parse(JSON.parse(readFileSync(join(cwd, 'proof', exec, 'report.json'), 'utf8')));
    expect(report).toMatchObject({ exec, kind: 'plan', status: 'failed', unfinished: null, scenario: null, providers: [], evaluation: null });
    expect(report.units.map((u) => [u.id, u.status])).toEqual([
      ['plan', 'passed'],
      ['api', 'failed'],
      ['docs', 'passed'],
      ['test', 'skipped'],
    ]);
    const api = report.units[1];
    expect(api.approvals[0]).toMatchObject({ decision: 'deny', by: 'policy' });
    for (const p of [api.transcript, api.cast, api.trajectory]) expect(existsSync(join(cwd, 'proof', exec, p!))).toBe(true);
    expect(report.units[3]).toMatchObject({ transcript: null, cast: null, attempts: 0 });
    const html = readFileSync(join(cwd, 'proof', exec, 'report.html'), 'utf8');
    expect(html).toContain('var AsciinemaPlayer=');
    expect(html.match(/<div class="player" data-cast=/g)).toHaveLength(3);
  });

  it('-o - prints one format to stdout; -o FILE writes there with paths relative to it; -o DIR takes several', async () => {
    const out = await cli(cwd, ['report', exec, '--format', 'json', '-o', '-']);
    expect(out.exitCode, out.stderr).toBe(0);
    const printed = ReportSchema.parse(JSON.parse(out.stdout));
    expect(printed.units[0].transcript).toBe(`proof/${exec}/step-plan-reviewer.md`);
    const file = await cli(cwd, ['report', exec, '--format', 'md', '-o', 'reports/r.md']);
    expect(file.exitCode, file.all).toBe(0);
    expect(file.stdout).toBe('reports/r.md');
    expect(readFileSync(join(cwd, 'reports/r.md'), 'utf8')).toContain(`[transcript](../proof/${exec}/step-plan-reviewer.md)`);
    mkdirSync(join(cwd, 'outdir'));
    const dir = await cli(cwd, ['report', exec, '--format', 'json,html', '-o', 'outdir']);
    expect(dir.exitCode, dir.all).toBe(0);
    expect(dir.stdout.split('\n')).toEqual(['outdir/report.json', 'outdir/report.html']);
  });

  it('bad input: one clear line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['report', 'exec-20990101-000000-none'], /^no execution exec-20990101-000000-none: trace\/exec-20990101-000000-none\/events\.jsonl does not exist$/],
      [['report', '../x'], /^"\.\.\/x" is not an execution id/],
      [['report', exec, '--format', 'pdf'], /^--format takes md, json or html .* not "pdf"$/],
      [['report', exec, '--format', 'md,json', '-o', '-'], /^-o - prints one format, not 2 \(md,json\)/],
      [['report', exec, '--eval', '1'], /^--eval applies to scenario executions; .* ran a plan$/],
      [['status', exec, '--format', 'md'], /^--format is an option of `report`, not of `status`$/],
    ];
    for (const [args, line] of cases) {
      const r = await cli(cwd, args);
      expect(r.exitCode, `${args.join(' ')}: ${r.all}`).toBe(2);
      const first = r.stderr.split('\n')[0];
      expect(first.replace(/^conductor: /, ''), args.join(' ')).toMatch(line);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('an interrupted execution is reported as far as it went, and says so', async () => {
    const lines = readFileSync(join(cwd, 'trace', exec, 'events.jsonl'), 'utf8').split('\n').filter(Boolean);
    const cut = lines.findIndex((l) => JSON.parse(l).type === 'step.finished');
    const id = 'exec-20261201-000000-cut1';
    mkdirSync(join(cwd, 'trace', id), { recursive: true });
    writeFileSync(join(cwd, 'trace', id, 'events.jsonl'), lines.slice(0, cut + 1).map((l) => l.replaceAll(exec, id)).join('\n') + '\n');
    const r = await cli(cwd, ['report', id, '--format', 'md', '-o', '-']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stderr).toBe(`conductor: ${id} is interrupted: the report shows what is there so far`);
    expect(r.stdout).toContain(`- status: **running** (interrupted: this report shows what is there so far; continue with \`conductor resume ${id}\`)`);
    expect(r.stdout).toMatch(/\| plan \| reviewer \| sim \| ✓ passed/);
  });
});

describe('conductor report on a scenario execution', () => {
  it('reports the latest re-evaluation and says so; --eval 0 reports the run’s own; --eval N that is not there is bad input', async () => {
    const cwd = tempProject();
    writeScenarioExecution(cwd, { evaluation: true });
    const r = await cli(cwd, ['report', EXEC, '--format', 'md,json']);
    expect(r.exitCode, r.all).toBe(0);
    const md = readFileSync(join(cwd, 'proof', EXEC, 'report.md'), 'utf8');
    expect(md).toContain(`- re-evaluated with \`../../trace/${EXEC}/evaluations/eval-1.json\` on 2026-12-02T09:30:00.000Z (scenario \`plans/greeting.scenario.yaml\`, changed since the run); the run's own results: sim 1/3 (33.3 %) ✗, claude 0/2 (0 %) ✗`);
    expect(md).toMatch(/\| sim \| 3 \| 2 \| 0 \| 1 \| 66\.7 % \|/);
    expect(md).toContain("## Comparisons (Fisher's exact test (two-sided), passed vs not passed)");
    const json = ReportSchema.parse(JSON.parse(readFileSync(join(cwd, 'proof', EXEC, 'report.json'), 'utf8')));
    expect(json.evaluation?.n).toBe(1);
    expect(json.units.find((u) => u.id === 'sim-2')).toMatchObject({ status: 'passed', score: 1 });
    expect(json.units.find((u) => u.id === 'sim-3')).toMatchObject({ status: 'error', cast: 'step-sim-3-backend.cast' });

    const own = await cli(cwd, ['report', EXEC, '--eval', '0', '--format', 'json', '-o', '-']);
    expect(own.exitCode, own.all).toBe(0);
    const ownJson = ReportSchema.parse(JSON.parse(own.stdout));
    expect(ownJson.evaluation).toBeNull();
    expect(ownJson.providers[0]).toMatchObject({ provider: 'sim', passed: 1, failed: 1, errors: 1 });

    const missing = await cli(cwd, ['report', EXEC, '--eval', '4']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe("no re-evaluation 4: there are eval-1 (--eval 0 reports the run's own results)");
  });
});
