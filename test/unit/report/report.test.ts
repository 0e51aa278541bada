// The report of a scenario with two providers, passed, failed and error trials and an assertion that could not be
// judged: the markdown people read, the JSON tools read (checked against docs/report.schema.json), a re-evaluation
// reported in place of the run's results, an unfinished execution, and the html page's escaping.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ReportSchema } from './schema';
import { fisherExact, quantile, wilson, type Evaluation } from '../../../src/core/stats';
import { runPaths } from '../../../src/runtime/recorder';
import { renderMarkdown, renderReport } from '../../../src/runtime/report';
import { loadCasts, loadPlayer, renderHtml, scriptJson } from '../../../src/runtime/report-html';
import { buildReport, FISHER } from '../../../src/runtime/report-model';
import { EXEC, scenarioLog, type TrialPlan } from './scenario-log';

const REPO = join(__dirname, '../../..');

const TRIALS: TrialPlan[] = [
  { provider: 'sim', index: 1, outcome: { judged: ['passed', 'passed', 'passed'] }, ms: 1000 },
  { provider: 'sim', index: 2, outcome: { judged: ['passed', 'passed', 'passed'] }, ms: 3000 },
  { provider: 'sim', index: 3, outcome: { judged: ['passed', 'failed', 'passed'] }, ms: 2000 },
  { provider: 'sim', index: 4, outcome: { error: true }, ms: 4000 },
  { provider: 'claude', index: 1, outcome: { judged: ['passed', 'failed', 'unknown'] }, cost: 0.25 },
  { provider: 'claude', index: 2, outcome: { judged: ['failed', 'failed', 'passed'] }, cost: 0.5 },
  { provider: 'claude', index: 3, outcome: { judged: ['passed', 'passed', 'passed'] }, cost: 0.125 },
];

function setup(trials = TRIALS, o: Parameters<typeof scenarioLog>[1] = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'conductor-report-'));
  const paths = runPaths({ proof: join(dir, 'proof'), trace: join(dir, 'trace') }, EXEC);
  return { dir, paths, state: scenarioLog(trials, o).s };
}

describe('report of a scenario with two providers', () => {
  it('markdown: pass rates with intervals and threshold, the assertion breakdown, trials, errors apart, Fisher between the pair', () => {
    const { state, paths } = setup();
    expect(state.status).toBe('failed');
    const md = renderReport(state, paths);
    const w = wilson(2, 4)!;
    const p = (x: number) => `${(x * 100).toFixed(1)} %`;
    expect(md).toContain('# Scenario: greeting');
    // sim: 2 of 4 counted (one error), 50 % ≥ 0.5 → met; claude: 1 of 3 → not met; the cost only where every trial reported one.
    expect(md).toMatch(new RegExp(`\\| sim \\| 4 \\| 2 \\| 1 \\| 1 \\| 50 % \\| ${p(w.low)} – ${p(w.high)} \\| [\\d.]+s \\| [\\d.]+s \\| — \\| ✓ 50 % \\|`));
    expect(md).toMatch(/\| claude \| 3 \| 1 \| 2 \| 0 \| 33\.3 % \| [\d.]+ % – [\d.]+ % \| .* \| \$0\.8750 \| ✗ 50 % \|/);
    expect(md).toContain(`## Comparisons (${FISHER}, passed vs not passed)`);
    const fisher = fisherExact(2, 2, 1, 2);
    expect(md).toContain(`- sim vs claude: p = ${fisher.toPrecision(3).replace(/\.?0+$/, '')}`);
    // Per assertion, per provider: the unknown cost is counted apart, never as a pass.
    expect(md).toContain('| costAtMost $0.5 | costAtMost |  | 1 | 2 | 0 | 1 | 66.7 % |');
    expect(md).toContain('| exitCode 0 | exitCode | yes | 1 | 2 | 1 | 0 | 66.7 % |');
    expect(md).toContain('| tests pass | commandPasses |  | 2 | 2 | 1 | 0 | 66.7 % |');
    expect(md).toMatch(/\| sim-4 \| sim \| ⚠ error \| — \| [^|]*signal 9[^|]* \|/);
    expect(md).toContain('## Trial errors (not judged)');
    expect(md).toMatch(/- sim-4 \(sim\): .*signal 9/);
    expect(md).toContain('- claude-1: ? unknown costAtMost $0.5: expected expected <costAtMost $0.5>; the provider reported no cost');
    expect(md).toContain('| claude-2 | claude | ✗ failed | 0.25 | score 0.25 below 1 |');
  });

  it('json: the documented shape, with counts, intervals and per-assertion rates that follow from the trials', () => {
    const { state, paths } = setup();
    const r = ReportSchema.parse(JSON.parse(JSON.stringify(buildReport(state, paths, { reportDir: paths.proofDir }))));
    expect(r.scenario).toEqual({ name: 'greeting', threshold: 0.5, passScore: 1, passed: false });
    const [sim, claude] = r.providers;
    expect(sim).toMatchObject({ provider: 'sim', trials: 4, passed: 2, failed: 1, errors: 1, other: 0, passRate: 0.5, meetsThreshold: true, cost: null, tokens: null, units: ['sim-1', 'sim-2', 'sim-3', 'sim-4'] });
    expect(sim.interval).toEqual(wilson(2, 4));
    // Each trial's time is its agent's: from its start to its session's end, as the log says.
    const took = sim.units.map((id) => r.units.find((u) => u.id === id)!.durationMs!);
    expect(took).toEqual(sim.units.map((id) => state.sessions[state.units[id].sessions[0]].endedAt! - state.units[id].startedAt!));
    expect(sim.durations).toEqual({ p50Ms: quantile(took, 0.5), p95Ms: quantile(took, 0.95), meanMs: took.reduce((a, b) => a + b, 0) / 4 });
    expect(claude).toMatchObject({ passed: 1, failed: 2, errors: 0, meetsThreshold: false, cost: 0.875, tokens: 3000 });
    expect(claude.assertions.find((a) => a.kind === 'costAtMost')).toEqual({ name: 'costAtMost $0.5', kind: 'costAtMost', required: false, weight: 1, passed: 2, failed: 0, unknown: 1, passRate: 2 / 3 });
    expect(r.comparisons).toEqual([{ a: 'sim', b: 'claude', test: FISHER, p: fisherExact(2, 2, 1, 2) }]);
    const err = r.units.find((u) => u.id === 'sim-4')!;
    expect(err).toMatchObject({ status: 'error', score: null, provider: 'sim', index: 4, attempts: 1 });
    expect(err.reason).toMatch(/signal 9/);
    const c1 = r.units.find((u) => u.id === 'claude-1')!;
    expect(c1.assertions[2]).toEqual({ name: 'costAtMost $0.5', kind: 'costAtMost', status: 'unknown', required: false, weight: 1, expected: 'expected <costAtMost $0.5>', found: 'the provider reported no cost' });
    expect(c1.score).toBe(0.25);
    // No recording was written for this synthetic run: the paths are null, not made up.
    expect(c1).toMatchObject({ transcript: null, cast: null, trajectory: null });
  });

  it('docs/report.schema.json and the zod schema above require the same keys, level by level', () => {
    const doc = JSON.parse(readFileSync(join(REPO, 'docs/report.schema.json'), 'utf8'));
    type Json = { required?: string[]; properties?: Record<string, Json>; items?: Json; oneOf?: Json[]; type?: unknown };
    const objectOf = (s: Json): Json | undefined => (s.properties ? s : (s.oneOf?.find((x) => x.properties) ?? (s.items ? objectOf(s.items) : undefined)));
    const zodShape = (s: z.ZodType): Record<string, z.ZodType> | undefined => {
      let t: z.ZodType = s;
      for (;;) {
        if (t instanceof z.ZodNullable) t = t.unwrap() as z.ZodType;
        else if (t instanceof z.ZodArray) t = t.element as z.ZodType;
        else break;
      }
      return t instanceof z.ZodObject ? (t.shape as Record<string, z.ZodType>) : undefined;
    };
    const compare = (json: Json, zod: z.ZodType, at: string): number => {
      const shape = zodShape(zod)!;
      expect([...(json.required ?? [])].sort(), at).toEqual(Object.keys(shape).sort());
      expect(Object.keys(json.properties ?? {}).sort(), at).toEqual(Object.keys(shape).sort());
      let n = 1;
      for (const [k, sub] of Object.entries(json.properties ?? {})) {
        const o = objectOf(sub);
        const zs = zodShape(shape[k]);
        expect(!!o, `${at}.${k}`).toBe(!!zs);
        if (o && zs) n += compare(o, shape[k], `${at}.${k}`);
      }
      return n;
    };
    // The top level, evaluation (and its scenario, own), scenario, providers (interval, assertions, durations), comparisons, units (assertions, checks, approvals, history),
    // comparison (providers (checks, steps, trials), diffOfDiffs (files (changedBy, diffs)), significance).
    expect(compare(doc, ReportSchema, 'report')).toBe(25);
  });

  it('a re-evaluation replaces the run’s judgments and says so, with the run’s own results beside', () => {
    const { state, paths } = setup();
    const evaluation: Evaluation = {
      n: 2,
      at: Date.parse('2026-12-02T10:00:00Z'),
      scenario: { file: 'plans/greeting.scenario.yaml', sha256: 'ab'.repeat(32), changed: true },
      threshold: 0.3,
      passScore: 0.5,
      units: { 'claude-2': { status: 'passed', score: 0.5, assertions: [{ name: 'exitCode 0', kind: 'exitCode', passed: true, status: 'passed', required: true, weight: 1 }] } },
    };
    const file = join(paths.evaluationsDir, 'eval-2.json');
    const r = buildReport(state, paths, { reportDir: paths.proofDir, evaluation: { evaluation, file } });
    ReportSchema.parse(JSON.parse(JSON.stringify(r)));
    expect(r.evaluation).toMatchObject({ n: 2, file: '../../trace/exec-20261201-120000-test/evaluations/eval-2.json', at: '2026-12-02T10:00:00.000Z', scenario: { changed: true } });
    expect(r.evaluation!.own.find((p) => p.provider === 'claude')).toEqual({ provider: 'claude', passed: 1, failed: 2, errors: 0, passRate: 1 / 3, meetsThreshold: false });
    expect(r.providers.find((p) => p.provider === 'claude')).toMatchObject({ passed: 2, failed: 1, meetsThreshold: true });
    expect(r.scenario).toMatchObject({ threshold: 0.3, passScore: 0.5, passed: true });
    const md = renderMarkdown(r);
    expect(md).toContain("- re-evaluated with `../../trace/exec-20261201-120000-test/evaluations/eval-2.json` on 2026-12-02T10:00:00.000Z (scenario `plans/greeting.scenario.yaml`, changed since the run); the run's own results: sim 2/4 (50 %) ✓, claude 1/3 (33.3 %) ✗");
  });

  it('an unfinished execution is reported as far as it went, and marked', () => {
    const { state, paths } = setup(TRIALS, { finish: false });
    expect(state.status).toBe('running');
    const interrupted = buildReport(state, paths, { reportDir: paths.proofDir });
    expect(interrupted).toMatchObject({ unfinished: 'interrupted', finishedAt: null });
    expect(interrupted.providers.find((p) => p.provider === 'claude')).toMatchObject({ trials: 3, passed: 0, failed: 2, other: 1 });
    expect(renderMarkdown(interrupted)).toContain(`- status: **running** (interrupted: this report shows what is there so far; continue with \`conductor resume ${EXEC}\`)`);
    expect(renderMarkdown(buildReport(state, paths, { reportDir: paths.proofDir, running: true }))).toContain('(still running: this report shows what is there so far)');
  });
});

describe('html report', () => {
  const HOSTILE = '</script><img src=x onerror=alert(1)>';

  it('escapes a hostile trial id and a hostile recording; the recording round-trips through its JSON script', () => {
    const { state, paths } = setup(TRIALS.slice(0, 2), { ids: [`a${HOSTILE}`, 'sim-2'], goal: `g<b>${HOSTILE}` });
    const session = state.sessions[state.units[`a${HOSTILE}`].sessions[0]];
    const cast = paths.sessionFiles(`a${HOSTILE}`, session.agent, session.attempt).cast;
    const castText = `{"version":2,"width":80,"height":24}\n[0.5,"o","${HOSTILE.replace(/"/g, '\\"')} \\u2028 <!-- x"]\n[1.25,"o","bye"]\n`;
    mkdirSync(dirname(cast), { recursive: true });
    writeFileSync(cast, castText);
    const r = buildReport(state, paths, { reportDir: paths.proofDir });
    const casts = loadCasts(r, paths.proofDir);
    expect(casts[`a${HOSTILE}`]).toEqual({ text: castText, end: 1.25 });
    const player = loadPlayer();
    const html = renderHtml(r, { player, casts });
    // Nothing from the execution made an element: the only <img would be the hostile one, and `</script>` closes
    // exactly the scripts the page has (the player, its boot, the report data, one recording).
    expect(html.includes('<img')).toBe(false);
    expect(html.includes('g<b>')).toBe(false);
    expect(html.match(/<\/script>/g)).toHaveLength(4);
    expect(html.includes('g&lt;b&gt;&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;')).toBe(true);
    const json = /<script type="application\/json" id="cast-1">([^<]*)<\/script>/.exec(html)![1];
    expect(JSON.parse(json)).toBe(castText);
    expect(scriptJson('</script>')).toBe('"\\u003c/script>"');
    // The player and its stylesheet are inlined as they are (no network), and a player is made for the recording.
    expect(html.includes(player.js)).toBe(true);
    expect(html.includes(player.css)).toBe(true);
    expect(/<(script|link)[^>]+(src|href)=/.test(html)).toBe(false);
    expect(html.includes('<div class="player" data-cast="cast-1" data-end="1.249"></div>')).toBe(true);
    expect(html.includes('AsciinemaPlayer.create({ data: data }, el, opts)')).toBe(true);
  });

  it('a recording over the size limit is left out with a note', () => {
    const { state, paths } = setup(TRIALS.slice(0, 1));
    const session = state.sessions[state.units['sim-1'].sessions[0]];
    const cast = paths.sessionFiles('sim-1', session.agent, session.attempt).cast;
    mkdirSync(dirname(cast), { recursive: true });
    writeFileSync(cast, `{"version":2,"width":80,"height":24}\n${'[0.1,"o","xxxxxxxxxx"]\n'.repeat(100)}`);
    const r = buildReport(state, paths, { reportDir: paths.proofDir });
    const casts = loadCasts(r, paths.proofDir, 1000);
    expect(casts['sim-1']).toEqual({ note: expect.stringMatching(/^recording not embedded: .* over the .* limit; open step-sim-1-backend\.cast with asciinema play$/) });
    const html = renderHtml(r, { player: { js: '', css: '' }, casts });
    expect(html).toContain('<p class="note">recording not embedded');
    expect(html).not.toContain('data-cast=');
  });
});
