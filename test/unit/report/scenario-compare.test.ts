// A scenario's providers side by side (core/compare `scenarioCompareRows`): each provider's trials aggregated into
// one comparison row, and the report's comparison section for a scenario with two providers, with the pass-rate
// significance test stated by name.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioCompareRows } from '../../../src/core/compare';
import type { UnitDecl } from '../../../src/core/events';
import { fisherExact, quantile } from '../../../src/core/stats';
import { runPaths } from '../../../src/runtime/recorder';
import { pValue, renderMarkdown } from '../../../src/runtime/report';
import { renderHtml } from '../../../src/runtime/report-html';
import { ALPHA, buildReport, FISHER } from '../../../src/runtime/report-model';
import { ReportSchema } from './schema';
import { EXEC, LogBuilder, scenarioLog } from './scenario-log';

interface Trial {
  provider: string;
  index: number;
  passed: boolean;
  ms: number;
  /** Commands asked, and whether each was allowed. */
  asks: [string, boolean][];
  diff: { path: string; added: number; removed: number }[];
  usage?: { tokens: number; cost: number };
}

const TRIALS: Trial[] = [
  { provider: 'a', index: 1, passed: true, ms: 1000, asks: [['npm test', true], ['rm -rf /', false]], diff: [{ path: 'x.js', added: 3, removed: 1 }], usage: { tokens: 100, cost: 0.01 } },
  { provider: 'a', index: 2, passed: true, ms: 3000, asks: [['npm test', true]], diff: [{ path: 'x.js', added: 2, removed: 0 }, { path: 'y.js', added: 1, removed: 1 }], usage: { tokens: 50, cost: 0.02 } },
  { provider: 'a', index: 3, passed: false, ms: 2000, asks: [], diff: [] },
  { provider: 'b', index: 1, passed: false, ms: 500, asks: [['make', true]], diff: [{ path: 'z.js', added: 10, removed: 0 }] },
  { provider: 'b', index: 2, passed: false, ms: 700, asks: [], diff: [] },
];

function log(trials = TRIALS): LogBuilder {
  const b = new LogBuilder();
  const units: UnitDecl[] = trials.map((t) => ({ id: `${t.provider}-${t.index}`, kind: 'trial', agent: 'backend', provider: t.provider, dependsOn: [], expectedOutputs: [], index: t.index }));
  b.send({ type: 'execution.created', kind: 'scenario', file: '/p/plans/s.scenario.yaml', goal: 'g', concurrency: 100, units, threshold: 0.5, passScore: 1 });
  b.send({ type: 'execution.started', approve: 'policy', interactive: false });
  let ap = 0;
  trials.forEach((t, i) => {
    const unit = `${t.provider}-${t.index}`;
    const session = b.s.units[unit].sessions.at(-1)!;
    b.send({ type: 'session.spawned', session, pid: 100 + i });
    for (const [command, allow] of t.asks) {
      const id = `ap-${++ap}`;
      b.send({ type: 'approval.requested', id, session, via: 'screen', command, options: ['allow', 'deny'] });
      b.send({ type: 'approval.resolved', id, decision: allow ? 'allow' : 'deny', by: 'policy' });
    }
    if (t.usage) b.send({ type: 'usage', session, bytes: 1, files: 1, ...t.usage });
    b.send({ type: 'session.exited', session, exitCode: 0 }, t.ms);
    b.send({ type: 'diff.summary', unit, session, base: 'session-start', files: t.diff.map((f) => ({ ...f, status: 'modified' as const })) });
    b.send({ type: 'trial.facts', unit, session, files: {}, commands: {} });
    b.send({ type: 'assertion.evaluated', unit, name: 'exitCode 0', kind: 'exitCode', required: true, weight: 1, status: 'passed', passed: true });
    b.send({ type: 'assertion.evaluated', unit, name: 'tests pass', kind: 'commandPasses', required: false, weight: 1, status: t.passed ? 'passed' : 'failed', passed: t.passed });
    b.send({ type: 'trial.finished', unit, status: t.passed ? 'passed' : 'failed', score: t.passed ? 1 : 0.5, ...(t.passed ? {} : { reason: 'score 0.50 below 1' }) });
  });
  return b;
}

describe('scenarioCompareRows', () => {
  it('one row per provider over its trials: threshold status, median and total duration, sums of approvals, changes, assertions and usage', () => {
    const state = log().s;
    const [a, b] = scenarioCompareRows(state);
    const took = (ids: string[]) => ids.map((id) => state.sessions[state.units[id].sessions[0]].endedAt! - state.units[id].startedAt!);
    const aTook = took(['a-1', 'a-2', 'a-3']);
    expect(a).toEqual({
      provider: 'a',
      status: 'passed',
      durationMs: quantile(aTook, 0.5),
      durationTotalMs: aTook.reduce((x, y) => x + y, 0),
      approvals: 3,
      denied: 1,
      commands: 2,
      commandList: ['npm test'],
      filesChanged: 3,
      linesAdded: 6,
      linesRemoved: 2,
      checks: { passed: 5, total: 6 },
      steps: { passed: 2, total: 3 },
      tokens: 150,
      cost: 0.03,
      trials: { passed: 2, counted: 3, total: 3 },
      passRate: 2 / 3,
    });
    expect(b).toMatchObject({
      provider: 'b',
      status: 'failed',
      approvals: 1,
      denied: 0,
      commands: 1,
      filesChanged: 1,
      linesAdded: 10,
      linesRemoved: 0,
      checks: { passed: 2, total: 4 },
      tokens: null,
      cost: null,
      trials: { passed: 0, counted: 2, total: 2 },
      passRate: 0,
      reason: 'pass rate 0.0 % below the threshold 50.0 %',
    });
    expect(a.reason).toBeUndefined();
  });

  it('a provider with trials still to run is running (pending when none started), whatever its pass rate so far', () => {
    const state = scenarioLog(
      [
        { provider: 'a', index: 1, outcome: { judged: ['passed', 'passed', 'passed'] } },
        { provider: 'b', index: 1, outcome: { judged: ['passed', 'passed', 'passed'] } },
        { provider: 'b', index: 2, outcome: { judged: ['passed', 'passed', 'passed'] } },
      ],
      { finish: false },
    ).s;
    expect(scenarioCompareRows(state).map((r) => [r.provider, r.status])).toEqual([
      ['a', 'passed'],
      ['b', 'running'],
    ]);
  });
});

describe('report of a scenario with two providers: the comparison section', () => {
  const setup = () => {
    const dir = mkdtempSync(join(tmpdir(), 'conductor-scenario-compare-'));
    const paths = runPaths({ proof: join(dir, 'proof'), trace: join(dir, 'trace') }, EXEC);
    return buildReport(log().s, paths, { reportDir: paths.proofDir });
  };

  it('json: rows for both providers, no diff of diffs, and the pairwise test named with its p-value and verdict', () => {
    const r = ReportSchema.parse(JSON.parse(JSON.stringify(setup())));
    const c = r.comparison!;
    expect(c).toMatchObject({ basis: 'trials', duration: 'median trial duration', diffOfDiffs: null });
    expect(c.providers.map((p) => [p.provider, p.status, p.approvals, p.trials])).toEqual([
      ['a', 'passed', 3, { passed: 2, counted: 3, total: 3 }],
      ['b', 'failed', 1, { passed: 0, counted: 2, total: 2 }],
    ]);
    const p = fisherExact(2, 1, 0, 2);
    expect(c.significance).toEqual([{ a: 'a', b: 'b', test: FISHER, p, alpha: ALPHA, significant: false }]);
    // The pass-rate matrix stays as it was.
    expect(r.providers.map((x) => x.interval !== null)).toEqual([true, true]);
    expect(r.comparisons).toEqual([{ a: 'a', b: 'b', test: FISHER, p }]);
  });

  it('markdown and html: the table with trial labels, and the Fisher line', () => {
    const report = setup();
    const line = `Fisher's exact test (two-sided) on pass/fail counts, a vs b: p = ${pValue(fisherExact(2, 1, 0, 2))}, significant at 0.05: no`;
    const md = renderMarkdown(report);
    expect(md).toContain('## Comparison');
    expect(md).toContain('| | a | b |\n|---|---|---|\n| status | ✓ passed | ✗ failed |\n| trials passed | 2/3 | 0/2 |\n| pass rate | 66.7 % | 0 % |\n| median trial duration |');
    expect(md).toContain('| assertions and checks passed | 5/6 | 2/4 |');
    expect(md).toContain(`- ${line}`);
    expect(md).not.toContain('Diff of diffs');
    const html = renderHtml(report, { player: { js: '', css: '' }, casts: {} });
    expect(html).toContain('<tr><th>trials passed</th><td>2/3</td><td>0/2</td></tr>');
    expect(html).toContain(`<li>${line.replace(/'/g, '&#39;')}</li>`);
  });

  it('a scenario with one provider has no comparison', () => {
    const dir = mkdtempSync(join(tmpdir(), 'conductor-scenario-compare-'));
    const paths = runPaths({ proof: join(dir, 'proof'), trace: join(dir, 'trace') }, EXEC);
    expect(buildReport(log(TRIALS.filter((t) => t.provider === 'a')).s, paths, { reportDir: paths.proofDir }).comparison).toBeNull();
  });
});
