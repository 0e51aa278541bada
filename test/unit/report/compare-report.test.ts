// The report of a comparison (a plan run once per provider, each lane in its own workspace): the json's
// `comparison` section with one row per provider and the diff of diffs made from the lanes' recorded changes,
// the markdown table and ```diff blocks, and the html's table and coloured, escaped diff lines.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { writeLaneChanges, type LaneChanges } from '../../../src/adapters/workspace/lanes';
import type { UnitDecl } from '../../../src/core/events';
import { runPaths } from '../../../src/runtime/recorder';
import { renderMarkdown } from '../../../src/runtime/report';
import { diffHtml, renderHtml } from '../../../src/runtime/report-html';
import { buildReport } from '../../../src/runtime/report-model';
import { ReportSchema } from './schema';
import { EXEC, LogBuilder } from './scenario-log';

const LANES = ['careful', 'quick'];

/** Step `greet` on two lanes: careful asks twice (one denied) and passes its check; quick asks once, fails its check. */
function laneLog(): LogBuilder {
  const b = new LogBuilder();
  const units: UnitDecl[] = LANES.map((lane) => ({ id: `greet@${lane}`, kind: 'step', agent: 'backend', provider: lane, dependsOn: [], expectedOutputs: [], lane, step: 'greet' }));
  b.send({ type: 'execution.created', kind: 'plan', file: '/p/plans/compare.plan.yaml', goal: 'greet', concurrency: 2, units, lanes: LANES });
  b.send({ type: 'execution.started', approve: 'policy', interactive: false });
  const session = (lane: string) => b.s.units[`greet@${lane}`].sessions.at(-1)!;
  b.send({ type: 'session.spawned', session: session('careful'), pid: 101 });
  b.send({ type: 'session.spawned', session: session('quick'), pid: 102 });
  b.send({ type: 'approval.requested', id: 'ap-1', session: session('careful'), via: 'screen', command: 'node test.js', options: ['allow', 'deny'] });
  b.send({ type: 'approval.resolved', id: 'ap-1', decision: 'allow', by: 'policy' });
  b.send({ type: 'approval.requested', id: 'ap-2', session: session('careful'), via: 'screen', command: 'rm -rf build', options: ['allow', 'deny'] });
  b.send({ type: 'approval.resolved', id: 'ap-2', decision: 'deny', by: 'user' });
  b.send({ type: 'approval.requested', id: 'ap-3', session: session('quick'), via: 'screen', command: 'node -e 1', options: ['allow', 'deny'] });
  b.send({ type: 'approval.resolved', id: 'ap-3', decision: 'allow', by: 'policy' });
  b.send({ type: 'usage', session: session('quick'), bytes: 10, files: 1, tokens: 1200, cost: 0.02 });
  b.send({ type: 'session.exited', session: session('quick'), exitCode: 0 }, 2000);
  b.send({ type: 'check.started', unit: 'greet@quick', name: 'works', run: 'node check.js' });
  b.send({ type: 'check.finished', unit: 'greet@quick', name: 'works', run: 'node check.js', exitCode: 1, passed: false, durationMs: 5 });
  b.send({ type: 'step.finished', unit: 'greet@quick', status: 'failed', reason: 'check failed: works' });
  b.send({ type: 'session.exited', session: session('careful'), exitCode: 0 }, 3000);
  b.send({ type: 'check.started', unit: 'greet@careful', name: 'works', run: 'node check.js' });
  b.send({ type: 'check.finished', unit: 'greet@careful', name: 'works', run: 'node check.js', exitCode: 0, passed: true, durationMs: 5 });
  b.send({ type: 'step.finished', unit: 'greet@careful', status: 'passed' });
  return b;
}

const CAREFUL_GREET = "function greet(name = 'world') {\n  return `Hello, ${name}!`;\n}\nmodule.exports = { greet };\n";
const QUICK_GREET = "module.exports.greet = (n) => `Hello, ${n ?? 'world'}!`; // </pre><script>x</script>\n";

const CHANGES: Record<string, LaneChanges> = {
  careful: {
    lane: 'careful',
    dir: '/w/careful',
    files: [
      { path: 'src/greet.js', status: 'added', added: 4, removed: 0, hash: 'c1', after: CAREFUL_GREET },
      { path: 'test/greet.test.js', status: 'added', added: 2, removed: 0, hash: 't1', after: 'require("assert");\nrequire("../src/greet");\n' },
      { path: 'build/greeting.txt', status: 'added', added: 1, removed: 0, hash: 'g1', after: 'Hello, conductor!\n' },
    ],
  },
  quick: {
    lane: 'quick',
    dir: '/w/quick',
    files: [
      { path: 'src/greet.js', status: 'added', added: 1, removed: 0, hash: 'q1', after: QUICK_GREET },
      { path: 'README.md', status: 'modified', added: 1, removed: 3, hash: 'r1', before: 'a\nb\nc\n', after: 'short\n' },
      { path: 'build/greeting.txt', status: 'added', added: 1, removed: 0, hash: 'g1', after: 'Hello, conductor!\n' },
    ],
  },
};

function setup(record: string[] = LANES) {
  const dir = mkdtempSync(join(tmpdir(), 'conductor-compare-report-'));
  const paths = runPaths({ proof: join(dir, 'proof'), trace: join(dir, 'trace') }, EXEC);
  for (const lane of record) {
    mkdirSync(dirname(paths.laneChanges(lane)), { recursive: true });
    writeLaneChanges(paths.laneChanges(lane), CHANGES[lane]);
  }
  const state = laneLog().s;
  return { paths, state, report: buildReport(state, paths, { reportDir: paths.proofDir }) };
}

describe('report of a comparison (lanes)', () => {
  it('json: one row per provider with every figure, from the log and the lanes’ recorded changes', () => {
    const { report } = setup();
    const r = ReportSchema.parse(JSON.parse(JSON.stringify(report)));
    expect(r.comparison).not.toBeNull();
    const c = r.comparison!;
    expect(c).toMatchObject({ basis: 'lanes', duration: 'lane wall time', significance: [] });
    const [careful, quick] = c.providers;
    expect(careful).toEqual({
      provider: 'careful',
      status: 'passed',
      durationMs: careful.durationMs,
      durationTotalMs: null,
      approvals: 2,
      denied: 1,
      commands: 1,
      commandList: ['node test.js'],
      filesChanged: 3,
      linesAdded: 7,
      linesRemoved: 0,
      checks: { passed: 1, total: 1 },
      steps: { passed: 1, total: 1 },
      tokens: null,
      cost: null,
      reason: null,
      trials: null,
      passRate: null,
    });
    expect(quick).toMatchObject({ provider: 'quick', status: 'failed', approvals: 1, denied: 0, commands: 1, commandList: ['node -e 1'], filesChanged: 3, linesAdded: 3, linesRemoved: 3, checks: { passed: 0, total: 1 }, tokens: 1200, cost: 0.02, reason: 'greet: check failed: works' });
    // careful finished last: its lane ran from the first start to its own end, longer than quick's.
    expect(careful.durationMs!).toBeGreaterThan(quick.durationMs!);
    expect(quick.durationMs).toBeGreaterThanOrEqual(2000);
  });

  it('json: the diff of diffs lists the files only one changed, and the unified diff between versions that differ', () => {
    const d = setup().report.comparison!.diffOfDiffs!;
    expect(d.onlyIn).toEqual({ careful: ['test/greet.test.js'], quick: ['README.md'] });
    expect(d.missing).toEqual([]);
    expect(d.files.map((f) => [f.path, f.same, f.changedBy.map((x) => x.provider)])).toEqual([
      ['README.md', false, ['quick']],
      ['build/greeting.txt', true, ['careful', 'quick']],
      ['src/greet.js', false, ['careful', 'quick']],
      ['test/greet.test.js', false, ['careful']],
    ]);
    const greet = d.files.find((f) => f.path === 'src/greet.js')!;
    expect(greet.diffs).toEqual([{ from: 'careful', to: 'quick', patch: createTwoFilesPatch('careful/src/greet.js', 'quick/src/greet.js', CAREFUL_GREET, QUICK_GREET, undefined, undefined, { context: 3 }), note: null }]);
    expect(greet.diffs[0].patch).toContain("-function greet(name = 'world') {");
    expect(greet.diffs[0].patch).toContain('+module.exports.greet = (n) =>');
    expect(d.files.find((f) => f.path === 'build/greeting.txt')!.diffs).toEqual([]);
  });

  it('a lane whose changes were not recorded is listed as missing; its row falls back on its steps’ diffs', () => {
    const { report } = setup(['careful']);
    const c = report.comparison!;
    expect(c.diffOfDiffs!.missing).toEqual(['quick']);
    expect(c.diffOfDiffs!.onlyIn).toEqual({ careful: ['build/greeting.txt', 'src/greet.js', 'test/greet.test.js'] });
    expect(c.providers[1]).toMatchObject({ provider: 'quick', filesChanged: 0 });
    expect(renderMarkdown(report)).toContain('- quick: its changes were not recorded (it did not finish)');
  });

  it('markdown: a table with a column per provider, then the diff of diffs with each differing file in a ```diff block', () => {
    const md = renderMarkdown(setup().report);
    expect(md).toContain('## Comparison');
    expect(md).toContain('| | careful | quick |\n|---|---|---|\n| status | ✓ passed | ✗ failed |\n| steps passed | 1/1 | 0/1 |');
    expect(md).toContain('| approvals asked | 2 | 1 |\n| denied | 1 | 0 |\n| commands run | 1 | 1 |\n| files changed | 3 | 3 |\n| lines +/− | +7 −0 | +3 −3 |\n| checks passed | 1/1 | 0/1 |\n| tokens | – | 1200 |\n| cost | – | $0.0200 |');
    expect(md).toContain('- quick: greet: check failed: works');
    expect(md).toContain('### Diff of diffs');
    expect(md).toContain('- only careful changed: `test/greet.test.js` (added, +2 −0)');
    expect(md).toContain('- only quick changed: `README.md` (modified, +1 −3)');
    expect(md).toContain('#### Changed differently: `src/greet.js`');
    const block = /```diff\n([\s\S]*?)\n```/.exec(md);
    expect(block?.[1]).toContain('--- careful/src/greet.js\n+++ quick/src/greet.js');
    expect(block?.[1]).toContain('+module.exports.greet');
    expect(md).toContain('- changed the same way: `build/greeting.txt` by careful (added, +1 −0), quick (added, +1 −0)');
  });

  it('markdown: a patch holding ``` gets a longer fence, so it cannot end its block', () => {
    const { paths, state } = setup();
    const fenced = { ...CHANGES.quick, files: CHANGES.quick.files.map((f) => (f.path === 'src/greet.js' ? { ...f, hash: 'q2', after: '```\nnot the end\n' } : f)) };
    writeLaneChanges(paths.laneChanges('quick'), fenced);
    const md = renderMarkdown(buildReport(state, paths, { reportDir: paths.proofDir }));
    expect(md).toMatch(/````diff\n[\s\S]*\+```\n\+not the end\n````/);
  });

  it('html: the table and the diff with added and removed lines classed, everything from the execution escaped', () => {
    const html = renderHtml(setup().report, { player: { js: '', css: '' }, casts: {} });
    expect(html).toContain('<table class="compare"><thead><tr><th></th><th>careful</th><th>quick</th></tr></thead>');
    expect(html).toContain('<tr><th>approvals asked</th><td>2</td><td>1</td></tr>');
    expect(html).toContain('<h3>Diff of diffs</h3>');
    expect(html).toContain('<h4>Changed differently: <code>src/greet.js</code></h4>');
    expect(html).toContain(`<span class="del">-function greet(name = &#39;world&#39;) {</span>`);
    expect(html).toContain('<span class="add">+module.exports.greet = (n) =&gt; `Hello, ${n ?? &#39;world&#39;}!`; // &lt;/pre&gt;&lt;script&gt;x&lt;/script&gt;</span>');
    expect(html).not.toContain('<script>x</script>');
  });

  it('html: file headers are not taken for removed lines, a removed line starting with -- is', () => {
    const patch = createTwoFilesPatch('a/f', 'b/f', '-- sql comment\nkeep\n', 'keep\n');
    const out = diffHtml(patch);
    expect(out).toContain('<span class="head">--- a/f</span>');
    expect(out).toContain('<span class="head">+++ b/f</span>');
    expect(out).toContain('<span class="del">--- sql comment</span>');
    expect(out).toContain('<span class="ctx"> keep</span>');
  });

  it('a plan without lanes has no comparison', () => {
    const b = new LogBuilder();
    b.send({ type: 'execution.created', kind: 'plan', file: '/p/plans/x.plan.yaml', goal: 'x', concurrency: 1, units: [{ id: 'a', kind: 'step', agent: 'backend', provider: 'sim', dependsOn: [], expectedOutputs: [] }] });
    const dir = mkdtempSync(join(tmpdir(), 'conductor-compare-report-'));
    const paths = runPaths({ proof: join(dir, 'proof'), trace: join(dir, 'trace') }, EXEC);
    const r = buildReport(b.s, paths, { reportDir: paths.proofDir });
    expect(r.comparison).toBeNull();
    expect(renderMarkdown(r)).not.toContain('## Comparison');
  });
});
